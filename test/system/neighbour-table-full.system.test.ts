import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { LimitsResult } from '../../src/api/limits/limit.views.js';
import { parseNeighbourStat } from '../../src/domain/limits/parse-neighbour-stat.js';
import { tempDatabase } from '../helpers/agent-process.js';
import { httpJson, takeSnapshot, waitFor, waitForStartupSnapshot } from '../helpers/http-json.js';
import { NetnsScope, removeStaleTestNetns } from '../helpers/netns-scope.js';
import { needsRoot } from '../helpers/privileges.js';
import { startAgent, type Agent } from '../helpers/start-agent.js';
import { openIncident, report } from './scenarios/scenario-kit.js';

function tableStat(): { entries: number; tableFulls: number } {
  const stat = parseNeighbourStat(readFileSync('/proc/net/stat/arp_cache', 'utf8'));
  assert.ok(stat && stat.tableFulls !== null, 'arp_cache has a table_fulls column');
  return { entries: stat.entries, tableFulls: stat.tableFulls };
}

/*
 * The IPv4 neighbour table is ONE table for every netns, bounded by the host's gc_thresh3. This test fills it
 * from a netns of its own (gc_thresh3 + 76 fresh `stale` entries on a veth there: a forced GC cannot free
 * entries updated in the last 5 s) then deletes the veth, which frees them all: the table is full for
 * well under a second (about 50 ms measured here), under the system-test lock. No sysctl is written.
 */
test('allocations the global neighbour table refused are counter evidence against gc_thresh3', async (t) => {
  if (!needsRoot(t)) return;
  await removeStaleTestNetns();
  const scope = new NetnsScope();
  const db = tempDatabase('neighbour-table-full');
  const dir = mkdtempSync(path.join(tmpdir(), 'kl-neigh-'));
  let agent: Agent | undefined;
  try {
    const thresh3 = Number(readFileSync('/proc/sys/net/ipv4/neigh/default/gc_thresh3', 'utf8').trim());
    assert.ok(thresh3 > 0 && thresh3 <= 16384, `gc_thresh3 reads ${thresh3}`);
    const count = thresh3 + 76;
    const batch = Array.from({ length: count }, (_, i) => {
      const [hi, lo] = [Math.floor(i / 250), (i % 250) + 1];
      const mac = `02:00:00:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`;
      return `neigh add 10.232.${hi}.${lo} lladdr ${mac} dev v0 nud stale`;
    });
    const batchFile = path.join(dir, 'neighbours.batch');
    writeFileSync(batchFile, `${batch.join('\n')}\n`);

    agent = await startAgent({ env: { DB_PATH: db.dbPath, SNAPSHOT_INTERVAL: '3600' } });
    await waitForStartupSnapshot(agent.baseUrl);
    await takeSnapshot(agent.baseUrl);
    const startedAt = new Date().toISOString();

    const ns = await scope.add('neighfull');
    await scope.exec(ns, ['ip', 'link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1']);
    await scope.exec(ns, ['ip', 'addr', 'add', '10.232.0.0/16', 'dev', 'v0']);
    await scope.exec(ns, ['ip', 'link', 'set', 'v0', 'up']);
    await scope.exec(ns, ['ip', 'link', 'set', 'v1', 'up']);
    const before = tableStat();
    const refused = await scope.exec(ns, ['ip', '-force', '-batch', batchFile]).then(
      () => '',
      (error: Error) => error.message,
    );
    const full = tableStat();
    await scope.exec(ns, ['ip', 'link', 'del', 'v0']); // frees every entry on the device at once
    await scope.cleanup();
    const after = await waitFor(
      async () => {
        const stat = tableStat();
        return stat.entries < thresh3 ? stat : undefined;
      },
      10_000,
      'the neighbour table to be free again',
    );
    t.diagnostic(
      `entries ${before.entries} → ${full.entries} → ${after.entries}, table_fulls ${before.tableFulls} → ${after.tableFulls}`,
    );
    assert.match(refused, /No buffer space available/, 'the kernel refused an entry (ENOBUFS)');
    assert.ok(after.tableFulls > before.tableFulls, 'table_fulls rose');
    await takeSnapshot(agent.baseUrl);

    const limits = await httpJson<LimitsResult>(agent.api, '/limits?namespace=host');
    assert.equal(limits.status, 200, JSON.stringify(limits.body));
    const pair = limits.body.items.find((i) => i.metric === 'neighbours.table_fulls.total');
    assert.ok(pair, JSON.stringify(limits.body.items.map((i) => i.metric)));
    assert.deepEqual(
      [pair.kind, pair.limitKey, pair.place, pair.namespace, pair.limit],
      ['counter', 'net.ipv4.neigh.default.gc_thresh3', 'host', 'host', thresh3],
    );
    assert.ok(pair.usage >= after.tableFulls);

    const incident = await openIncident(agent, { title: 'new peers unreachable', startedAt, endedAt: 'now' });
    const body = await report(agent, incident.id);
    const suspect = body.suspects.find((s) => s.key === 'net.ipv4.neigh.default.gc_thresh3');
    assert.ok(suspect, JSON.stringify(body.suspects.map((s) => s.key)));
    const evidence = suspect.evidence.find((e) => e.metric === 'neighbours.table_fulls.total');
    assert.equal(evidence?.kind, 'overflowed', JSON.stringify(suspect.evidence));
    assert.equal(evidence.namespace, 'host');
    t.diagnostic(suspect.explanation);
    assert.match(
      suspect.explanation,
      /the host found the neighbour table full \d+ times? \([\d.]+\/s\) between \S+ and \S+ against gc_thresh3=[\d ]+ \(one table for every netns\)/i,
    );
  } finally {
    await agent?.close();
    await scope.cleanup();
    db.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
});
