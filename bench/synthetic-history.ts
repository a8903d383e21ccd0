import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCollectors, type TargetCollection } from '../src/collectors/collector-runner.js';
import { defaultCollectors } from '../src/collectors/collectors.js';
import { isVolatileKey } from '../src/domain/classification/volatile-keys.js';
import type { UsageSample } from '../src/domain/limits/usage-pairs.js';
import { groupNamespaceSets } from '../src/domain/namespaces/group-namespace-sets.js';
import { type NamespaceSet, namespaceIdentity } from '../src/domain/namespaces/namespace-types.js';
import type { SysctlReading } from '../src/domain/sysctl/sysctl-types.js';
import { discoverNamespaces } from '../src/os/namespace-discovery.js';
import { readNamespaceSysctls } from '../src/os/namespace-sysctl.reader.js';
import { IncidentsService } from '../src/api/incidents/incidents.service.js';
import { KeyClassifier } from '../src/snapshot/key-classifier.js';
import { KeyCatalog } from '../src/storage/key-catalog.js';
import { LastKnownState } from '../src/storage/last-known-state.js';
import { SnapshotWriter } from '../src/storage/snapshot.writer.js';
import { onCleanup } from './cleanup.js';
import { databaseBytes } from './database-bytes.js';
import { note } from './measure.js';
import { compileOfflineAppModule } from './offline-app-module.js';
import { SnapshotPlanner } from './synthetic-snapshot-planner.js';

export const MINUTE_MS = 60_000;

export interface SyntheticOptions {
  readonly dbPath: string;
  /** Named-netns-like sets besides the host. */
  readonly sets: number;
  /** Minutes of history after the first snapshot and the idle hour. */
  readonly minutes: number;
  /** Fraction of each set's settings that change per hour. */
  readonly changePerHour: number;
  /** takenAt of the last snapshot; the history ends here. */
  readonly endAt: number;
}

export interface SyntheticHistory {
  readonly bytesAfterFirst: number;
  readonly bytesPerIdleSnapshot: number;
  /** Bytes per snapshot under the change model (the idle hour excluded). */
  readonly bytesPerModelSnapshot: number;
  readonly bytesAtEnd: number;
  readonly snapshots: number;
  /** takenAt of the first snapshot. */
  readonly startAt: number;
  readonly changesWritten: number;
  readonly generationMs: number;
  readonly hostKeys: number;
  readonly setKeys: number;
  /** A set to query (its identity) and a key that changed in it, and a host key that changed. */
  readonly sampleSetIdentity: string;
  readonly sampleSetKey: string;
  readonly sampleHostKey: string;
  readonly incidentId: number;
}

const IDLE_MINUTES = 60;

/** mulberry32: the same history on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The readings a named netns yields on this kernel: one real nsenter dump of a fresh netns when root. */
async function netnsReadings(hostReadings: readonly SysctlReading[]): Promise<SysctlReading[]> {
  if (process.getuid?.() === 0) {
    const name = `kl-bench-synth-${process.pid}`;
    const release = onCleanup(`netns ${name}`, () =>
      execFileSync('ip', ['netns', 'delete', name], { stdio: 'ignore' }),
    );
    execFileSync('ip', ['netns', 'add', name]);
    try {
      const result = await readNamespaceSysctls({
        procRoot: '/proc',
        enter: { net: `/run/netns/${name}` },
        types: ['net'],
        timeoutMs: 10_000,
      });
      return result.readings;
    } finally {
      release();
    }
  }
  note('storage: not root, the synthetic sets use the host net.* keys instead of a real netns dump');
  return hostReadings.filter((r) => r.key.startsWith('net.'));
}

/** One set's evolving values: `changeSome` mutates a fraction of its settings (toggling them). */
class EvolvingSet {
  readonly current = new Map<string, string | null>();
  private readonly settings: string[];
  private readonly original = new Map<string, string | null>();
  private carry = 0;
  /** The readings of the last `readingsNow()`, rebuilt only after a change (the same array otherwise). */
  private cached: SysctlReading[] | null = null;
  private volatileMoved = false;
  private readonly volatileIndexes: number[] = [];
  lastChanged = '';

  constructor(
    readonly set: NamespaceSet,
    private readonly readings: readonly SysctlReading[],
    private readonly random: () => number,
  ) {
    for (const [i, r] of readings.entries()) {
      this.current.set(r.key, r.value);
      if (isVolatileKey(r.key)) this.volatileIndexes.push(i);
    }
    this.settings = readings
      .filter((r) => r.access === 'readable' && r.value !== null && !isVolatileKey(r.key))
      .map((r) => r.key);
    for (const key of this.settings) this.original.set(key, this.current.get(key) ?? null);
  }

  get settingCount(): number {
    return this.settings.length;
  }

  /** Changes on average `perMinute` settings (fractional carry, so 1%/h of 600 keys is 6 per hour). */
  changeSome(perMinute: number): number {
    this.carry += perMinute;
    let changed = 0;
    while (this.carry >= 1) {
      this.carry -= 1;
      const key = this.settings[Math.floor(this.random() * this.settings.length)];
      if (key === undefined) continue;
      const now = this.current.get(key) ?? '';
      const base = this.original.get(key) ?? '';
      this.current.set(key, now === base ? mutated(base) : base);
      this.lastChanged = key;
      this.cached = null;
      changed += 1;
    }
    return changed;
  }

  /** Counters move every minute on a live host: a new first field for every volatile numeric value. */
  jitterVolatile(): void {
    for (const i of this.volatileIndexes) {
      const r = this.readings[i];
      if (r?.value === null || r === undefined) continue;
      const fields = r.value.split(/(\s+)/);
      const first = Number(fields[0]);
      if (!Number.isFinite(first) || fields[0] === '') continue;
      fields[0] = String(Math.max(0, first + Math.floor(this.random() * 50) - 25));
      this.current.set(r.key, fields.join(''));
    }
    this.volatileMoved = true;
  }

  /** This minute's readings: the same array as last minute's when nothing changed since (see SnapshotPlanner). */
  readingsNow(): SysctlReading[] {
    if (this.cached === null) {
      this.cached = this.readings.map((r) =>
        r.value === null ? r : { ...r, value: this.current.get(r.key) ?? r.value },
      );
    } else if (this.volatileMoved) {
      // Only the counters moved: a new array that shares the settings' reading objects.
      this.cached = this.cached.slice();
      for (const i of this.volatileIndexes) {
        const r = this.readings[i];
        if (r !== undefined && r.value !== null)
          this.cached[i] = { ...r, value: this.current.get(r.key) ?? r.value };
      }
    }
    this.volatileMoved = false;
    return this.cached;
  }
}

function mutated(value: string): string {
  if (/^-?\d+$/.test(value)) return String(Number(value) + 1);
  const fields = value.split(/\s+/);
  if (fields.every((f) => /^-?\d+$/.test(f))) return fields.map((f) => String(Number(f) + 1)).join('\t');
  return `${value}-b`;
}

/** Gauge-like collector samples of the host move every minute; cumulative `*.total` counters stay. */
function jitterSamples(samples: readonly UsageSample[], random: () => number): UsageSample[] {
  return samples.map((s) =>
    s.metric.endsWith('.total') || s.pending || !Number.isFinite(s.usage)
      ? s
      : { ...s, usage: Math.max(0, s.usage + Math.floor(random() * 20) - 10) },
  );
}

/**
 * Writes a synthetic history into `dbPath` THROUGH THE REAL PERSISTENCE CODE: the real AppModule compiled (no
 * scheduler, no kernel log: lifecycle hooks are not run), the real planning (buildTargetRecord: change-only diff,
 * counters, usage pairing and the hourly sample heartbeat), LastKnownState and SnapshotWriter.write in one
 * transaction per snapshot, exactly as SnapshotService.take does, with a controlled clock (takenAt one minute
 * apart, ending at `endAt`).
 *
 * Content: the host's real readings and collector samples (read once from /proc), and `sets` named-netns sets
 * whose readings are one real nsenter dump of a fresh netns. Per snapshot: host counters (fs.file-nr…) and the
 * host's gauge samples move (a live host); `changePerHour` of every set's settings change per hour (toggled away
 * from and back to their value, picked by a seeded PRNG); other sets' samples stay (hourly heartbeat rows).
 * Timeline: first snapshot, one idle hour (nothing changes: bytes per idle snapshot), then `minutes` minutes of
 * the change model. Finally one incident is created through IncidentsService.
 */
export async function generateHistory(options: SyntheticOptions): Promise<SyntheticHistory> {
  const started = performance.now();
  const random = prng(0x6b6c);
  const scratch = mkdtempSync(path.join(tmpdir(), 'kl-bench-synth-'));
  const removeScratch = onCleanup('synthetic scratch', () =>
    rmSync(scratch, { recursive: true, force: true }),
  );
  const moduleRef = await compileOfflineAppModule(options.dbPath, scratch);
  try {
    const writer = moduleRef.get(SnapshotWriter, { strict: false });
    const catalog = moduleRef.get(KeyCatalog, { strict: false });
    const state = moduleRef.get(LastKnownState, { strict: false });
    const classifier = moduleRef.get(KeyClassifier, { strict: false });
    await catalog.load();
    const planner = new SnapshotPlanner({ writer, catalog, state, classifier });

    // The real host: its set, readings and collector samples, read once.
    const discovery = await discoverNamespaces(
      { procRoot: '/proc', netnsDir: path.join(scratch, 'no-netns') },
      null,
    );
    const hostSet = groupNamespaceSets(discovery.host, discovery.hostPid, discovery.owners).find(
      (s) => s.identity === 'host',
    );
    if (!hostSet) throw new Error('no host namespace set');
    const hostCollection = await runCollectors(defaultCollectors(), {
      set: hostSet,
      procRoot: '/proc',
      timeoutMs: 10_000,
    });
    const setReadings = await netnsReadings(hostCollection.readings);

    const evolving: EvolvingSet[] = [new EvolvingSet(hostSet, hostCollection.readings, random)];
    for (let i = 0; i < options.sets; i++) {
      const name = `synthetic-${i}`;
      const inodes = { net: 4_100_000_000 + i, ipc: discovery.host.ipc, uts: discovery.host.uts };
      const set: NamespaceSet = {
        identity: namespaceIdentity(inodes, discovery.host),
        kind: 'netns',
        inodes,
        differingTypes: ['net'],
        entry: { net: `/run/netns/${name}` },
        pid: null,
        owners: [{ kind: 'netns', name, path: `/run/netns/${name}` }],
      };
      evolving.push(new EvolvingSet(set, setReadings, random));
    }

    const total = 1 + IDLE_MINUTES + options.minutes;
    const startAt = options.endAt - (total - 1) * MINUTE_MS;
    let changesWritten = 0;
    let bytesAfterFirst = 0;
    let bytesAfterIdle = 0;
    for (let i = 0; i < total; i++) {
      const takenAt = startAt + i * MINUTE_MS;
      const modelled = i > IDLE_MINUTES;
      const collections: TargetCollection[] = [];
      for (const [index, e] of evolving.entries()) {
        if (modelled) {
          e.changeSome((options.changePerHour * e.settingCount) / 60);
          if (index === 0) e.jitterVolatile();
        }
        collections.push({
          target: { set: e.set, procRoot: '/proc', timeoutMs: 10_000 },
          readings: e.readingsNow(),
          samples:
            index === 0 && modelled
              ? jitterSamples(hostCollection.samples, random)
              : index === 0
                ? hostCollection.samples
                : [],
          errors: [],
          complete: true,
          method: index === 0 ? 'in-process' : 'nsenter',
        });
      }
      const written = await planner.write(collections, takenAt);
      changesWritten += written;
      if (i === 0) bytesAfterFirst = databaseBytes(options.dbPath);
      if (i === IDLE_MINUTES) bytesAfterIdle = databaseBytes(options.dbPath);
      if (i > 0 && i % (1440 * 5) === 0) note(`storage: generated ${i}/${total} synthetic snapshots`);
    }
    const bytesAtEnd = databaseBytes(options.dbPath);

    const incidents = moduleRef.get(IncidentsService, { strict: false });
    const incident = await incidents.create({
      title: 'bench: connections refused in synthetic-7',
      startedAt: new Date(options.endAt - 2 * 3_600_000).toISOString(),
      endedAt: new Date(options.endAt - 3_600_000).toISOString(),
    });
    const sample = evolving[8] ?? evolving[1];
    return {
      bytesAfterFirst,
      bytesPerIdleSnapshot: (bytesAfterIdle - bytesAfterFirst) / IDLE_MINUTES,
      bytesPerModelSnapshot: (bytesAtEnd - bytesAfterIdle) / options.minutes,
      bytesAtEnd,
      snapshots: total,
      startAt,
      changesWritten,
      generationMs: performance.now() - started,
      hostKeys: evolving[0]?.settingCount ?? 0,
      setKeys: evolving[1]?.settingCount ?? 0,
      sampleSetIdentity: sample?.set.identity ?? 'host',
      sampleSetKey: sample?.lastChanged || 'net.core.somaxconn',
      sampleHostKey: evolving[0]?.lastChanged || 'kernel.pid_max',
      incidentId: incident.id,
    };
  } finally {
    await moduleRef.close();
    removeScratch();
  }
}
