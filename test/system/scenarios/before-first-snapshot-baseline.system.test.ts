import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { startAgent, tempDatabase } from '../../helpers/agent-process.js';
import { httpJson, waitForStartupSnapshot } from '../../helpers/http-json.js';
import { needsRoot } from '../../helpers/privileges.js';
import { assertCauseRankedFirst, openIncident, report, topOf } from './scenario-kit.js';

interface ExportedBundle {
  values: Record<string, string | null>;
}

/*
 * Production-only failure seen by a tool installed because something is broken: the incident began two hours
 * before the agent's first snapshot, and the question is how this host differs from staging. Staging is this
 * host's real export with the values staging runs: a larger host-wide fs.file-max (the real cause: a global
 * limit a container cannot fix) and a different kernel.panic (a red herring: a global key that differs but
 * bounds nothing). The report answers 200, says in `notes` that it starts from the first snapshot, and puts
 * the limit first.
 */
test('scenario: an incident opened before the first snapshot, and a global limit that differs from a baseline', async (t) => {
  if (!needsRoot(t)) return;
  const fileMax = readFileSync('/proc/sys/fs/file-max', 'utf8').trim();
  const panic = readFileSync('/proc/sys/kernel/panic', 'utf8').trim();
  const db = tempDatabase('scenario-before-first');
  const agent = await startAgent({ DB_PATH: db.dbPath, SNAPSHOT_INTERVAL: '3600' });
  try {
    await waitForStartupSnapshot(agent.baseUrl, 30_000);
    const exported = await httpJson<ExportedBundle>(agent.baseUrl, '/api/v1/export');
    assert.equal(exported.status, 200);
    const staging = structuredClone(exported.body);
    const larger = String(BigInt(fileMax) < 2n ** 62n ? BigInt(fileMax) * 2n : BigInt(fileMax) + 1n);
    staging.values['fs.file-max'] = larger;
    staging.values['kernel.panic'] = panic === '10' ? '20' : '10';
    const imported = await httpJson(agent.baseUrl, '/api/v1/baselines?name=staging', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(staging),
    });
    assert.equal(imported.status, 201);
    const incident = await openIncident(agent, { title: 'EMFILE in every container', startedAt: '-2h' });
    const body = await report(agent, incident.id, '?baseline=staging');
    assert.match(body.notes.join(' '), /starts before the agent's first snapshot/);
    assertCauseRankedFirst(body, {
      key: 'fs.file-max',
      kinds: ['baseline-drift'],
      onlyTheseKinds: true,
      explains: [
        new RegExp(`It is ${fileMax} here but ${larger} on baseline 'staging'`),
        new RegExp(`, ${fileMax} on the host`),
      ],
    });
    // The red herring is suspected (it differs from the baseline), but below the limit.
    const herring = body.suspects.find((s) => s.key === 'kernel.panic');
    assert.ok(herring && herring.rank > 1, topOf(body, 5));
    const without = await report(agent, incident.id);
    assert.match(without.notes.join(' '), /starts before the agent's first snapshot/);
  } finally {
    await agent.stop();
    db.cleanup();
  }
});
