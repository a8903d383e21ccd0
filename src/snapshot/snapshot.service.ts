import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { type CollectionError, collectEach, type TargetCollection } from '../collectors/collector-runner.js';
import type { Collector } from '../collectors/collector.js';
import { CLOCK, type Clock } from '../common/clock.js';
import { observeNamespacedKeys } from '../domain/classification/observe-namespaced-keys.js';
import { isVolatileKey } from '../domain/classification/volatile-keys.js';
import type { ValueState } from '../domain/history/diff-value-maps.js';
import { assignNetnsUsage, type NetnsUsageRole } from '../domain/namespaces/assign-netns-usage.js';
import { chooseFullReads } from '../domain/namespaces/choose-full-reads.js';
import { groupNamespaceSets } from '../domain/namespaces/group-namespace-sets.js';
import type { NamespaceSet } from '../domain/namespaces/namespace-types.js';
import { isNetnsMetric } from '../domain/limits/limit-metrics.js';
import { DomainEvents } from '../events/domain-events.bus.js';
import type { SnapshotOutcome } from '../events/domain-events.js';
import type { CriClient } from '../os/cri/cri.client.js';
import type { DockerClient } from '../os/docker.client.js';
import { readBootId } from '../os/boot-clock.reader.js';
import { discoverNamespaces } from '../os/namespace-discovery.js';
import { BootConfigWriter } from '../storage/boot-config.writer.js';
import { KeyCatalog, type Reclassification } from '../storage/key-catalog.js';
import { LastKnownState } from '../storage/last-known-state.js';
import { type SnapshotRecord, SnapshotWriter, type TargetRecord } from '../storage/snapshot.writer.js';
import { readingValues } from '../domain/sysctl/reading-values.js';
import type { SysctlReading } from '../domain/sysctl/sysctl-types.js';
import { finishTargetRecord, vanishedTargetRecord } from './build-target-records.js';
import { CollectionReducer, type ReducedCollection } from './collection-reducer.js';
import { assignSetLifetimes, withLifetime } from './assign-set-lifetimes.js';
import { SetLifetimes } from '../storage/set-lifetimes.js';
import { evaluateBootConfig } from './evaluate-boot-config.js';
import { KeyClassifier } from './key-classifier.js';
import { hostKeyNamespaces, keyNamespacesOf } from './key-namespaces.js';
import {
  COLLECTORS,
  CRI_CLIENT,
  DOCKER_CLIENT,
  SNAPSHOT_SETTINGS,
  type SnapshotSettings,
} from './snapshot.tokens.js';

export type SnapshotTrigger = 'startup' | 'schedule' | 'api' | 'cli';

export interface SnapshotSummary extends SnapshotOutcome {
  readonly id: number;
}

/** A snapshot that could not be taken or committed (no row was written). */
export interface SnapshotFailure {
  readonly at: number;
  readonly message: string;
}

/**
 * One pass of the pipeline: discover → read → classify → compare with last → persist in one transaction →
 * publish `snapshot.committed` on the event seam (the webhook outbox in the transaction, metrics after it).
 */
@Injectable()
export class SnapshotService implements OnApplicationShutdown {
  private readonly logger = new Logger(SnapshotService.name);
  private queue: Promise<unknown> = Promise.resolve();
  private running = false;
  private failure: SnapshotFailure | null = null;
  private skipped = 0;
  /** Readings arrays every key of which was in the catalog when they were looked at. */
  private readonly catalogued = new WeakSet<readonly SysctlReading[]>();

  constructor(
    @Inject(COLLECTORS) private readonly collectors: readonly Collector[],
    @Inject(SNAPSHOT_SETTINGS) private readonly settings: SnapshotSettings,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(DOCKER_CLIENT) private readonly docker: DockerClient | null,
    @Inject(CRI_CLIENT) private readonly cri: CriClient | null,
    private readonly catalog: KeyCatalog,
    private readonly state: LastKnownState,
    private readonly writer: SnapshotWriter,
    private readonly classifier: KeyClassifier,
    private readonly events: DomainEvents,
    private readonly lifetimes: SetLifetimes,
    private readonly bootConfig: BootConfigWriter,
  ) {}

  /**
   * Probes the kernel and brings the stored classification of known keys up to date; queued before any
   * snapshot. Keys whose values were observed to differ between namespace sets keep that verdict.
   */
  prepare(): Promise<void> {
    const next = this.queue.then(async () => {
      await this.classifier.probe();
      await this.catalog.load();
      const changes: Reclassification[] = [];
      for (const name of this.catalog.names()) {
        if (this.catalog.sourceOf(name) === 'observed') continue;
        changes.push({ name, ...this.classifier.classify(name) });
      }
      await this.writer.reclassifyCatalog(changes);
      this.classifier.logSummary(this.catalog.names());
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  get skippedTicks(): number {
    return this.skipped;
  }

  /** The last attempt, when it failed (cleared by the next snapshot that commits): /health reports it at once. */
  get lastFailure(): SnapshotFailure | null {
    return this.failure;
  }

  /** Takes a snapshot after any one in progress: snapshots never overlap. */
  runOnce(trigger: SnapshotTrigger): Promise<SnapshotSummary> {
    const next = this.queue.then(() => this.take(trigger));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** A scheduled tick: skipped (and counted) while a snapshot is in progress. */
  async tick(): Promise<void> {
    if (this.running) {
      this.skipped += 1;
      void this.events.publish({ type: 'snapshot.tick-skipped', skipped: this.skipped });
      this.logger.warn(`snapshot still running; tick skipped (${this.skipped} so far)`);
      return;
    }
    try {
      await this.runOnce('schedule');
    } catch (error) {
      this.logger.error(
        `scheduled snapshot failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  /** Lets the snapshot in flight commit before the database closes. */
  async onApplicationShutdown(): Promise<void> {
    await this.queue;
    this.cri?.close();
  }

  private async take(trigger: SnapshotTrigger): Promise<SnapshotSummary> {
    this.running = true;
    const attemptedAt = this.clock.now();
    try {
      const started = performance.now();
      const takenAt = this.clock.now();
      await this.catalog.load();
      const discovery = await discoverNamespaces(
        {
          procRoot: this.settings.procRoot,
          netnsDir: this.settings.netnsDir,
          podLogRoot: this.settings.podLogRoot,
        },
        this.docker,
        this.cri,
      );
      const { sets, facts } = await assignSetLifetimes(
        this.lifetimes,
        discovery,
        groupNamespaceSets(discovery.host, discovery.hostPid, discovery.owners),
        takenAt,
      );
      const netnsRoles = await this.netnsRoles(sets);
      const keyNamespaces = keyNamespacesOf(sets, this.settings.procRoot, discovery.hostPid);
      const named = await this.state.netnsNamedByKernelEvents();
      const fullReads = chooseFullReads(
        await Promise.all(
          sets.map(async (set) => ({
            identity: set.identity,
            lastFullReadAt: await this.state.lastFullReadOf(set.identity),
            named: set.inodes.net !== null && set.differingTypes.includes('net') && named.has(set.inodes.net),
          })),
        ),
        this.settings.fullReadsPerSnapshot,
      );
      // Each set's readings are reduced as its read completes: the snapshot never holds them all at once.
      const reducer = new CollectionReducer(this.catalog, this.classifier, this.state, this.catalogued);
      const reduced = await collectEach(
        this.collectors,
        sets.map((set) => ({
          set,
          procRoot: this.settings.procRoot,
          timeoutMs: this.settings.namespaceReadTimeoutMs,
          ownsNetnsUsage: netnsRoles.get(set.identity)?.holder ?? true,
          keyNamespaces:
            set.identity === 'host'
              ? hostKeyNamespaces(keyNamespaces.host)
              : keyNamespaces.byIdentity.get(set.identity),
          ...(fullReads.has(set.identity) ? {} : { usageOnly: true }),
        })),
        this.settings.namespaceReadConcurrency,
        (collection, index) => reducer.reduce(collection, index),
      );
      const collections = reduced.map((r) => r.collection);
      const errors: (CollectionError | { source: string; message: string })[] = [
        ...discovery.errors,
        ...collections.flatMap((c) => c.errors),
      ];
      const planned = await this.plan(reduced, takenAt, netnsRoles);
      const records = planned.records.map((r) => withLifetime(r, facts));
      const states = planned.states;
      const boot = evaluateBootConfig(
        this.settings.sysctlConfRoot,
        collections.find((c) => c.target.set.identity === 'host'),
      );
      if (boot.reading === null && boot.error !== null)
        errors.push({ source: 'sysctl-conf', message: boot.error });
      const keysRead = reducer.keysRead;
      const record: SnapshotRecord = {
        takenAt,
        trigger,
        bootId: bootIdOf(this.settings.procRoot),
        keysRead,
        errors,
        readMethods: countMethods(collections),
        newKeys: reducer.newKeys(),
        reclassified: this.observedReclassifications(collections, states),
        targets: records,
        durationMs: () => performance.now() - started,
      };
      const written = await this.writer.write(record, async (em, snapshotId) => {
        if (boot.reading !== null) {
          const drift = await this.bootConfig.write(em, snapshotId, takenAt, boot.reading);
          if (drift.appeared.length + drift.ended.length > 0)
            await this.events.write(em, { type: 'config.drift', ...drift });
        }
        await this.events.write(em, { type: 'snapshot.committed', snapshotId, record });
      });
      this.state.remember(
        new Set(sets.map((s) => s.identity)),
        states,
        new Map(records.map((r) => [r.identity, r.samples])),
        takenAt,
        records.filter((r) => !r.vanished && r.complete && r.usageOnly !== true).map((r) => r.identity),
      );
      const summary: SnapshotSummary = {
        id: written.id,
        takenAt,
        durationMs: written.durationMs,
        keysRead,
        namespacesRead: sets.length,
        changeCount: written.changeCount,
        errors,
      };
      await this.events.publish({
        type: 'snapshot.committed',
        snapshotId: summary.id,
        record,
        summary,
        collections,
      });
      this.logger.log(
        {
          snapshotId: summary.id,
          trigger,
          namespaceSets: sets.length,
          keysRead,
          changes: summary.changeCount,
          errors: errors.length,
          durationMs: summary.durationMs,
        },
        'snapshot committed',
      );
      for (const error of errors) this.logger.warn({ snapshotId: summary.id, ...error }, 'collection error');
      this.failure = null;
      return summary;
    } catch (error) {
      this.failure = { at: attemptedAt, message: error instanceof Error ? error.message : String(error) };
      throw error;
    } finally {
      this.running = false;
    }
  }

  /** Which set holds the usage of each netns shared by several sets: the one that held it last time stays. */
  private async netnsRoles(sets: readonly NamespaceSet[]): Promise<Map<string, NetnsUsageRole>> {
    const held = new Set<string>();
    for (const set of sets) {
      const last = await this.state.lastSamplesOf(set.identity);
      if ([...last.keys()].some(isNetnsMetric)) held.add(set.identity);
    }
    return assignNetnsUsage(sets, (identity) => held.has(identity));
  }

  private async plan(
    reduced: readonly ReducedCollection[],
    takenAt: number,
    netnsRoles: ReadonlyMap<string, NetnsUsageRole>,
  ): Promise<{ records: TargetRecord[]; states: Map<string, ValueState> }> {
    const records: TargetRecord[] = [];
    const states = new Map<string, ValueState>();
    const host = reduced.find((r) => r.collection.target.set.identity === 'host')?.collection;
    const hostValues = host ? readingValues(host.readings) : undefined;
    for (const { collection, plan } of reduced) {
      const identity = collection.target.set.identity;
      const planned = finishTargetRecord(
        collection,
        plan,
        await this.state.lastSamplesOf(identity),
        takenAt,
        hostValues,
        netnsRoles.get(identity),
      );
      records.push(planned.record);
      states.set(identity, planned.nextState);
    }
    const seen = new Set(reduced.map((r) => r.collection.target.set.identity));
    for (const identity of await this.state.aliveIdentities()) {
      if (!seen.has(identity))
        records.push(vanishedTargetRecord(identity, await this.state.stateOf(identity)));
    }
    return { records, states };
  }

  /**
   * Keys the catalog calls global whose values differ between the host and another set this time. A complete
   * set's planned state holds exactly its readable values less the volatile keys, which are never compared:
   * it stands in for them rather than a new map per set.
   */
  private observedReclassifications(
    collections: readonly TargetCollection[],
    states: ReadonlyMap<string, ValueState>,
  ): Reclassification[] {
    const host = collections.find((c) => c.target.set.identity === 'host');
    if (!host) return [];
    const observed = observeNamespacedKeys(
      // The host's readable values (a key it has no value of is skipped either way), the map planning built.
      readingValues(host.readings),
      collections
        .filter((c) => c !== host && c.complete && c.usageOnly !== true)
        .map((c) => ({
          identity: c.target.set.identity,
          differingTypes: c.target.set.differingTypes,
          values: states.get(c.target.set.identity) ?? readableValues(c),
        })),
      (key) => this.catalog.scopeOf(key),
      isVolatileKey,
    );
    return observed.map((o) => ({
      name: o.key,
      classification: {
        ...this.classifier.classify(o.key).classification,
        scope: o.scope,
        childVisibility: 'isolated',
        source: 'observed',
      },
      evidence: o.evidence,
    }));
  }
}

/** The kernel's boot id, or null where the procfs root has none (a fixture root). */
function bootIdOf(procRoot: string): string | null {
  try {
    return readBootId(procRoot);
  } catch {
    return null;
  }
}

function readableValues(collection: TargetCollection): Map<string, string | null> {
  return new Map(collection.readings.filter((r) => r.access !== 'write-only').map((r) => [r.key, r.value]));
}

function countMethods(collections: readonly TargetCollection[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const c of collections) if (c.method) counts[c.method] = (counts[c.method] ?? 0) + 1;
  return counts;
}
