import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import type { DriftItem, DriftResult } from '../../src/api/drift/drift.views.js';
import type { SettingDetail } from '../../src/api/settings/setting.views.js';
import { verifySignature } from '../../src/domain/webhooks/sign-payload.js';
import { tempDatabase } from '../helpers/agent-process.js';
import { startBootConfigAgent } from '../helpers/boot-config-agent.js';
import { httpJson, waitFor } from '../helpers/http-json.js';
import { needsRoot } from '../helpers/privileges.js';
import type { Agent } from '../helpers/start-agent.js';
import { envelopeOf, WebhookReceiver } from '../helpers/webhook-receiver.js';

/** A real key of this host that the test only configures (in its own sysctl.d), never writes. */
const KEY = 'net.ipv4.tcp_keepalive_probes';
const RANGE = 'net.ipv4.ip_local_port_range';
const UNKNOWN = 'net.ipv4.kl_drift_test_no_such_key';
const CONF = '/etc/sysctl.d/90-kl-drift.conf';

const runtimeOf = (key: string): string =>
  readFileSync(path.join('/proc/sys', ...key.split('.')), 'utf8').trim();

const post = (body?: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
});

interface DriftData {
  state: string;
  key: string;
  runtime: string | null;
  configured: string | null;
  source: { file: string; line: number } | null;
  unknownToKernel: boolean;
  since: string;
  endedAt: string | null;
}

/**
 * Runtime vs boot configuration on the real kernel: an agent reading this host's /proc with SYSCTL_CONF_ROOT on
 * a temporary directory. A file under `<root>/etc/sysctl.d` sets a real key to a value the kernel does not have:
 * the drift appears with its file and line, and a signed `config.drift` reaches a real receiver; the file is then
 * edited to the runtime value (the host's value is never written) and the drift goes, with its end event.
 */
describe('drift between the running kernel and a sysctl.d file', () => {
  const db = tempDatabase('drift-system');
  const confRoot = mkdtempSync(path.join(tmpdir(), 'kl-drift-conf-'));
  let agent: Agent | undefined;
  let receiver: WebhookReceiver | undefined;
  after(async () => {
    await agent?.close();
    await receiver?.down();
    rmSync(confRoot, { recursive: true, force: true });
    db.cleanup();
  });

  test('a configured value the kernel does not run appears, with its source, and goes when they agree', async (t) => {
    if (!needsRoot(t)) return;
    const runtime = runtimeOf(KEY);
    const configured = String(Number(runtime) + 1);
    const [low, high] = runtimeOf(RANGE).split(/\s+/);
    const writeConf = (value: string): void => {
      mkdirSync(path.join(confRoot, 'etc', 'sysctl.d'), { recursive: true });
      writeFileSync(
        path.join(confRoot, CONF),
        [
          '# kernel-ledger drift system test',
          `${KEY} = ${value}`,
          // Spaces where the kernel shows a tab: the same value, no drift.
          `${RANGE} = ${low}    ${high}`,
          `-${UNKNOWN} = 1`,
          '',
        ].join('\n'),
      );
    };
    writeConf(configured);

    agent = await startBootConfigAgent(db, confRoot, { webhooks: {}, background: false });
    const api = agent.api;
    receiver = await WebhookReceiver.start();
    const hook = await httpJson<{ secret: string; events: string[] }>(
      api,
      '/webhooks',
      post({ url: receiver.url(), events: ['config.drift'] }),
    );
    assert.equal(hook.status, 201);
    assert.deepEqual(hook.body.events, ['config.drift']);

    const driftEvents = (): DriftData[] =>
      (receiver?.delivered ?? [])
        .filter((r) => r.headers['x-kernel-ledger-event'] === 'config.drift')
        .flatMap((r) => {
          assert.ok(
            verifySignature(
              hook.body.secret,
              Number(r.headers['x-kernel-ledger-timestamp']),
              r.body,
              String(r.headers['x-kernel-ledger-signature']),
            ),
            'signed with the subscription secret',
          );
          return envelopeOf(r).events.map((e) => e.data as unknown as DriftData);
        });

    // 1. The drift appears.
    assert.equal((await httpJson(api, '/snapshots', post())).status, 201);
    const first = await httpJson<DriftResult>(api, '/drift');
    assert.equal(first.status, 200);
    const byKey = new Map<string, DriftItem>(first.body.items.map((i) => [i.key, i]));
    assert.deepEqual(
      { ...byKey.get(KEY), since: undefined },
      {
        key: KEY,
        runtime,
        configured,
        source: { file: CONF, line: 2 },
        since: undefined,
        unknownToKernel: false,
        atReboot: false,
      },
    );
    assert.equal(byKey.has(RANGE), false, 'whitespace is normalised as sysctl does');
    assert.deepEqual(
      { ...byKey.get(UNKNOWN), since: undefined },
      {
        key: UNKNOWN,
        runtime: null,
        configured: '1',
        source: { file: CONF, line: 4 },
        since: undefined,
        unknownToKernel: true,
        atReboot: false,
      },
    );
    const setting = await httpJson<SettingDetail>(api, `/settings/${KEY}`);
    assert.equal(setting.status, 200);
    assert.equal(setting.body.value, runtime);
    assert.deepEqual(
      { value: setting.body.configured?.value, source: setting.body.configured?.source },
      { value: configured, source: { file: CONF, line: 2 } },
    );
    const appeared = await waitFor(
      () => Promise.resolve(driftEvents().find((e) => e.key === KEY && e.state === 'appeared')),
      30_000,
      'a config.drift "appeared" delivery',
    );
    assert.deepEqual(
      { ...appeared, since: undefined },
      {
        state: 'appeared',
        key: KEY,
        runtime,
        configured,
        source: { file: CONF, line: 2 },
        unknownToKernel: false,
        since: undefined,
        endedAt: null,
        atReboot: false,
        snapshot: (appeared as unknown as { snapshot: unknown }).snapshot,
      },
    );
    assert.equal(appeared.since, byKey.get(KEY)?.since);

    // 2. A snapshot with nothing new: the drift holds, no second event.
    assert.equal((await httpJson(api, '/snapshots', post())).status, 201);
    const held = await httpJson<DriftResult>(api, '/drift');
    assert.equal(held.body.items.find((i) => i.key === KEY)?.since, byKey.get(KEY)?.since);

    // 3. The file now says what the kernel runs: the drift ends.
    writeConf(runtime);
    assert.equal((await httpJson(api, '/snapshots', post())).status, 201);
    const after = await httpJson<DriftResult>(api, '/drift');
    assert.deepEqual(
      after.body.items.map((i) => i.key),
      [UNKNOWN],
    );
    const ended = await waitFor(
      () => Promise.resolve(driftEvents().find((e) => e.key === KEY && e.state === 'ended')),
      30_000,
      'a config.drift "ended" delivery',
    );
    assert.equal(ended.runtime, runtime);
    assert.equal(ended.configured, runtime);
    assert.equal(ended.since, appeared.since);
    assert.ok(ended.endedAt !== null && ended.endedAt > ended.since);
    assert.equal(
      driftEvents().filter((e) => e.key === KEY).length,
      2,
      'one event when it appears, one when it ends',
    );
    const now = await httpJson<SettingDetail>(api, `/settings/${KEY}`);
    assert.equal(now.body.configured?.value, runtime, 'the configuration change is recorded');
    // In the past, the drift is still there.
    const past = await httpJson<DriftResult>(api, `/drift?at=${Date.parse(byKey.get(KEY)?.since ?? '')}`);
    assert.ok(past.body.items.some((i) => i.key === KEY));
    assert.equal(runtimeOf(KEY), runtime, 'the host value was never written');
  });
});
