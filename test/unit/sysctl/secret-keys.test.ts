import assert from 'node:assert/strict';
import { test } from 'node:test';
import { concealBundleSecrets } from '../../../src/domain/baselines/conceal-bundle-secrets.js';
import type { Bundle } from '../../../src/domain/baselines/bundle-types.js';
import {
  concealSecrets,
  isSecretKey,
  secretDigest,
  UNSET_SECRET,
} from '../../../src/domain/sysctl/secret-keys.js';
import type { SysctlReading } from '../../../src/domain/sysctl/sysctl-types.js';
import { loadProcSysFixture } from '../../helpers/proc-fixture.js';

const fixture = loadProcSysFixture();

test('of the real host’s 0600 keys, only tcp_fastopen_key and the stable_secrets are secrets', () => {
  const privateKeys = [...fixture].filter(([, e]) => e.mode === 0o600).map(([key]) => key);
  assert.deepEqual(privateKeys.filter(isSecretKey).sort(), [
    'net.ipv4.tcp_fastopen_key',
    'net.ipv6.conf.all.stable_secret',
    'net.ipv6.conf.default.stable_secret',
    'net.ipv6.conf.eth0.stable_secret',
    'net.ipv6.conf.ifb0.stable_secret',
    'net.ipv6.conf.ifb1.stable_secret',
    'net.ipv6.conf.lo.stable_secret',
  ]);
  assert.ok(privateKeys.includes('kernel.cad_pid') && !isSecretKey('kernel.cad_pid'));
  assert.equal(isSecretKey('net.ipv4.tcp_fastopen_blackhole_timeout_sec'), false);
});

test('a secret is read as its digest, an unset stable_secret as unset, every other key untouched', () => {
  const readings: SysctlReading[] = [...fixture].map(([key, e]) =>
    e.error
      ? { key, access: 'unreadable', value: null, error: e.error }
      : { key, access: 'readable', value: e.value },
  );
  const concealed = new Map(concealSecrets(readings).map((r) => [r.key, r]));
  const fastopen = fixture.get('net.ipv4.tcp_fastopen_key')?.value ?? '';
  assert.match(fastopen, /^[0-9a-f]{8}-/, 'the capture holds the real key');
  assert.deepEqual(concealed.get('net.ipv4.tcp_fastopen_key'), {
    key: 'net.ipv4.tcp_fastopen_key',
    access: 'secret',
    value: secretDigest(fastopen),
  });
  assert.match(secretDigest(fastopen), /^sha256:[0-9a-f]{16}$/);
  assert.notEqual(secretDigest(fastopen), secretDigest(`${fastopen}0`), 'a change stays visible');
  assert.deepEqual(concealed.get('net.ipv6.conf.lo.stable_secret'), {
    key: 'net.ipv6.conf.lo.stable_secret',
    access: 'secret',
    value: UNSET_SECRET,
  });
  const leaked = [...concealed.values()].filter((r) => r.value?.includes(fastopen));
  assert.deepEqual(leaked, []);
  assert.equal(concealed.get('net.core.somaxconn')?.value, fixture.get('net.core.somaxconn')?.value);
});

test('an imported bundle keeps digests, never a secret', () => {
  const bundle = {
    values: {
      'net.ipv4.tcp_fastopen_key': 'abc',
      'net.ipv6.conf.lo.stable_secret': null,
      'net.core.somaxconn': '4096',
    },
    namespaces: [
      { identity: 'x', kind: 'netns', owners: [], values: { 'net.ipv4.tcp_fastopen_key': 'def' } },
    ],
  } as unknown as Bundle;
  const concealed = concealBundleSecrets(bundle);
  assert.deepEqual(concealed.values, {
    'net.ipv4.tcp_fastopen_key': secretDigest('abc'),
    'net.ipv6.conf.lo.stable_secret': 'unset',
    'net.core.somaxconn': '4096',
  });
  assert.deepEqual(concealed.namespaces?.[0]?.values, { 'net.ipv4.tcp_fastopen_key': secretDigest('def') });
  assert.deepEqual(concealBundleSecrets(concealed), concealed, 'digests stay digests');
});
