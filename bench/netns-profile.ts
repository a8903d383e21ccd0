import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createBenchAgent } from './in-process-agent.js';
import { runCollectorsOnAll } from '../src/collectors/collector-runner.js';
import { defaultCollectors } from '../src/collectors/collectors.js';
import { groupNamespaceSets } from '../src/domain/namespaces/group-namespace-sets.js';
import { discoverNamespaces } from '../src/os/namespace-discovery.js';
import { readNamespaceSysctls } from '../src/os/namespace-sysctl.reader.js';
import { readSysctlTree } from '../src/os/sysctl-tree.reader.js';
import { readingValues } from '../src/domain/sysctl/reading-values.js';
import { buildTargetRecord } from '../src/snapshot/build-target-records.js';
import { SnapshotService } from '../src/snapshot/snapshot.service.js';
import { LastKnownState } from '../src/storage/last-known-state.js';
import { runAllCleanups } from './cleanup.js';
import { median, timeMs } from './measure.js';
import { NetnsFleet } from './netns-fleet.js';

/**
 * `node dist/bench/netns-profile.js [concurrency] [netns]` (root): where the time of a host + 50 (or `netns`) netns
 * snapshot goes; with 0, of a host snapshot (run it under `unshare --pid --fork --mount-proc` to keep other jobs'
 * namespaces out).
 * Runs the phases of SnapshotService.take with the same src functions, each timed, 5 times after a warm-up,
 * next to the whole snapshot; add `node --cpu-prof` for a profile of the agent's own CPU.
 */
async function main(): Promise<void> {
  const concurrency = Number(process.argv[2] ?? '4');
  const fleet = new NetnsFleet('kl-prof', Number(process.argv[3] ?? '50'));
  const dir = mkdtempSync(path.join(tmpdir(), 'kl-prof-'));
  const { app } = await createBenchAgent(dir, {
    NETNS_DIR: fleet.dir,
    NAMESPACE_READ_CONCURRENCY: String(concurrency),
    // Every netns read in full every snapshot, as the peer reads them all (rolling full reads would skip most).
    FULL_READS_PER_SNAPSHOT: '0',
  });
  try {
    const service = app.get(SnapshotService);
    const state = app.get(LastKnownState);
    await service.runOnce('api');
    await service.runOnce('api');
    const phases = new Map<string, number[]>();
    const add = (name: string, ms: number): void => {
      phases.set(name, [...(phases.get(name) ?? []), ms]);
    };
    const collectors = defaultCollectors();
    const sysctlOnly = collectors.filter((c) => c.id === 'sysctl');
    const others = collectors.filter((c) => c.id !== 'sysctl');
    for (let run = 0; run < 6; run++) {
      const keep = run > 0;
      let discovery: Awaited<ReturnType<typeof discoverNamespaces>> | undefined;
      const tDiscover = await timeMs(async () => {
        discovery = await discoverNamespaces({ procRoot: '/proc', netnsDir: fleet.dir }, null);
      });
      if (!discovery) throw new Error('no discovery');
      const sets = groupNamespaceSets(discovery.host, discovery.hostPid, discovery.owners);
      const targets = sets.map((set) => ({ set, procRoot: '/proc', timeoutMs: 5000 }));
      const tHostTree = await timeMs(() => readSysctlTree('/proc'));
      const helper: number[] = [];
      const tOneByOne = await timeMs(async () => {
        for (const t of targets.filter((x) => x.set.identity !== 'host').slice(0, 10)) {
          const r = await readNamespaceSysctls({
            procRoot: '/proc',
            enter: t.set.entry,
            types: t.set.differingTypes,
            timeoutMs: 5000,
          });
          helper.push(r.durationMs);
        }
      });
      let collections: Awaited<ReturnType<typeof runCollectorsOnAll>> = [];
      const tSysctl = await timeMs(async () => {
        collections = await runCollectorsOnAll(sysctlOnly, targets, concurrency);
      });
      const tOthers = await timeMs(() => runCollectorsOnAll(others, targets, concurrency));
      const tAll = await timeMs(() => runCollectorsOnAll(collectors, targets, concurrency));
      const host = collections.find((c) => c.target.set.identity === 'host');
      const hostValues = host ? readingValues(host.readings) : undefined;
      const tPlan = await timeMs(async () => {
        for (const c of collections)
          buildTargetRecord(
            c,
            await state.stateOf(c.target.set.identity),
            await state.lastSamplesOf(c.target.set.identity),
            Date.now(),
            hostValues,
          );
      });
      const tWhole = await timeMs(() => service.runOnce('api'));
      if (!keep) continue;
      add(`discovery (${sets.length} sets)`, tDiscover);
      add('host tree in-process (readSysctlTree)', tHostTree);
      add('one nsenter dump, serial (median of 10)', median(helper));
      add('10 nsenter dumps, serial, wall', tOneByOne);
      add(`collectors: sysctl only, all sets, concurrency ${concurrency}`, tSysctl);
      add('collectors: the 7 usage collectors, all sets', tOthers);
      add('collectors: all (runCollectorsOnAll as the service)', tAll);
      add('plan (buildTargetRecord for every set)', tPlan);
      add('whole snapshot (SnapshotService.runOnce)', tWhole);
    }
    for (const [name, values] of phases)
      process.stdout.write(`${name.padEnd(60)} ${median(values).toFixed(1)} ms\n`);
  } finally {
    await app.close();
    fleet.remove();
    rmSync(dir, { recursive: true, force: true });
    runAllCleanups();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  runAllCleanups();
  process.exit(1);
});
