import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import type { DriftResult } from '../../src/api/drift/drift.views.js';
import type { SettingDetail } from '../../src/api/settings/setting.views.js';
import { secretDigest } from '../../src/domain/sysctl/secret-keys.js';
import { tempDatabase } from '../helpers/agent-process.js';
import { startBootConfigAgent } from '../helpers/boot-config-agent.js';
import { httpJson } from '../helpers/http-json.js';
import { needsRoot } from '../helpers/privileges.js';
import type { Agent } from '../helpers/start-agent.js';

const DEVICE = 'klsec0';
const DEVICE_SECRET = `net.ipv6.conf.${DEVICE}.stable_secret`;
const LO_SECRET = 'net.ipv6.conf.lo.stable_secret';
const FASTOPEN = 'net.ipv4.tcp_fastopen_key';
/** The secret the test gives its own bridge device, and the same address in another spelling for the file. */
const SECRET_ADDRESS = '2001:db8:6b6c::77';
const SECRET_SPELLED_OTHERWISE = '2001:DB8:6B6C:0:0:0:0:77';
const LO_CONFIGURED = '2001:db8:6b6c::99';

const procFile = (key: string): string => path.join('/proc/sys', ...key.split('.'));

/**
 * Secrets in a sysctl.d file, on the real kernel: a bridge device the test creates (down, no ports) holds a stable_secret, a file
 * under a temporary SYSCTL_CONF_ROOT configures the same secret in another spelling, the host's own fast open
 * key with its leading zeros dropped, and a secret for `lo` that the kernel does not hold. Only the real drift
 * (lo) is reported, as digests; no response carries a secret's text.
 */
describe('secrets in the boot configuration', () => {
  const db = tempDatabase('drift-secrets');
  const confRoot = mkdtempSync(path.join(tmpdir(), 'kl-drift-secrets-'));
  let agent: Agent | undefined;
  after(async () => {
    await agent?.close();
    if (existsSync(`/sys/class/net/${DEVICE}`)) execFileSync('ip', ['link', 'del', DEVICE]);
    rmSync(confRoot, { recursive: true, force: true });
    db.cleanup();
  });

  test('configured secrets are compared in the kernel spelling and served only as digests', async (t) => {
    if (!needsRoot(t)) return;
    assert.ok(existsSync('/proc/sys/net/ipv6/conf/lo'), 'IPv6 is on: a stable_secret can be configured');
    execFileSync('ip', ['link', 'add', DEVICE, 'type', 'bridge']);
    writeFileSync(procFile(DEVICE_SECRET), SECRET_ADDRESS);
    const fastopen = readFileSync(procFile(FASTOPEN), 'utf8').trim();
    const fastopenUnpadded = fastopen.replace(/\b0+([0-9a-f])/g, '$1').toUpperCase();
    mkdirSync(path.join(confRoot, 'etc', 'sysctl.d'), { recursive: true });
    writeFileSync(
      path.join(confRoot, 'etc', 'sysctl.d', '90-kl-secrets.conf'),
      [
        `${DEVICE_SECRET} = ${SECRET_SPELLED_OTHERWISE}`,
        `${FASTOPEN} = ${fastopenUnpadded}`,
        `${LO_SECRET} = ${LO_CONFIGURED}`,
        '',
      ].join('\n'),
    );
    agent = await startBootConfigAgent(db, confRoot, { background: false });
    const api = agent.api;
    const taken = await httpJson(api, '/snapshots', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(taken.status, 201);

    const drift = await httpJson<DriftResult>(api, '/drift');
    assert.equal(drift.status, 200);
    const secrets = drift.body.items.filter((i) => i.key.includes('secret') || i.key === FASTOPEN);
    assert.deepEqual(
      secrets.map((i) => ({ key: i.key, runtime: i.runtime, configured: i.configured })),
      [
        {
          key: LO_SECRET,
          runtime: 'unset',
          configured: secretDigest('2001:0db8:6b6c:0000:0000:0000:0000:0099'),
        },
      ],
      'the same secret in another spelling is no drift; a secret the kernel does not hold is',
    );

    const device = await httpJson<SettingDetail>(api, `/settings/${DEVICE_SECRET}`);
    assert.equal(device.status, 200);
    assert.equal(device.body.value, secretDigest('2001:0db8:6b6c:0000:0000:0000:0000:0077'));
    assert.equal(device.body.configured?.value, device.body.value, 'configured and runtime digests agree');
    const key = await httpJson<SettingDetail>(api, `/settings/${FASTOPEN}`);
    assert.equal(key.body.configured?.value, secretDigest(fastopen));

    const served = JSON.stringify([drift.body, device.body, key.body]);
    for (const text of [SECRET_ADDRESS, SECRET_SPELLED_OTHERWISE, LO_CONFIGURED, fastopenUnpadded]) {
      assert.equal(served.toLowerCase().includes(text.toLowerCase()), false, `${text} is never served`);
    }
    assert.equal(served.includes(fastopen), false, 'the fast open key is never served');
  });
});
