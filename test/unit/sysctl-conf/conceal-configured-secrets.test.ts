import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  canonicalSecret,
  concealConfiguredSecrets,
} from '../../../src/domain/sysctl-conf/conceal-configured-secrets.js';
import { findConfigDrift } from '../../../src/domain/sysctl-conf/find-config-drift.js';
import { resolveConfiguredValues } from '../../../src/domain/sysctl-conf/resolve-configured-values.js';
import { parseSysctlConf } from '../../../src/domain/sysctl-conf/parse-sysctl-conf.js';
import { secretDigest } from '../../../src/domain/sysctl/secret-keys.js';

const FASTOPEN = 'net.ipv4.tcp_fastopen_key';
const SECRET = 'net.ipv6.conf.eth0.stable_secret';

test('a fast-open key is spelled as the kernel prints it back (%08x words, primary,backup)', () => {
  assert.equal(canonicalSecret(FASTOPEN, ' 0-0-0-0 '), '00000000-00000000-00000000-00000000');
  assert.equal(
    canonicalSecret(FASTOPEN, 'DEADBEEF-1-2-3,a-b-c-d'),
    'deadbeef-00000001-00000002-00000003,0000000a-0000000b-0000000c-0000000d',
  );
  assert.equal(
    canonicalSecret(FASTOPEN, 'not-a-key'),
    'not-a-key',
    'what the kernel would refuse stays as written',
  );
});

test('a stable_secret is spelled as %pI6: eight groups of four digits, no shorthand', () => {
  assert.equal(canonicalSecret(SECRET, '2001:DB8::1'), '2001:0db8:0000:0000:0000:0000:0000:0001');
  assert.equal(canonicalSecret(SECRET, '::'), '0000:0000:0000:0000:0000:0000:0000:0000');
  assert.equal(canonicalSecret(SECRET, 'fe80:0:0:0:1:2:3:4'), 'fe80:0000:0000:0000:0001:0002:0003:0004');
  assert.equal(canonicalSecret(SECRET, '1::2::3'), '1::2::3');
  assert.equal(canonicalSecret(SECRET, '1:2:3:4:5:6:7:8:9'), '1:2:3:4:5:6:7:8:9');
});

test('configured secrets are digests: no text kept, equal secrets compare equal, other keys untouched', () => {
  const parsed = parseSysctlConf(
    '/etc/sysctl.d/90-secrets.conf',
    [
      `${FASTOPEN} = 0-0-0-0`,
      `${SECRET} = 2001:db8::1`,
      'net.ipv6.conf.gone0.stable_secret = 2001:db8::2',
      'net.core.somaxconn = 1024',
    ].join('\n'),
  );
  const resolved = concealConfiguredSecrets(
    resolveConfiguredValues(parsed.assignments, [FASTOPEN, SECRET, 'net.core.somaxconn']),
  );
  const text = JSON.stringify({ values: [...resolved.values.values()], unknown: resolved.unknown });
  assert.doesNotMatch(text, /2001:db8|0-0-0-0/, 'no secret text survives');
  assert.equal(resolved.values.get('net.core.somaxconn')?.value, '1024');

  const runtime = new Map([
    [FASTOPEN, secretDigest('00000000-00000000-00000000-00000000')],
    [SECRET, secretDigest('2001:0db8:0000:0000:0000:0000:0000:0002')],
    ['net.core.somaxconn', '1024'],
  ]);
  const drift = findConfigDrift(resolved, runtime);
  assert.deepEqual(
    drift.map((d) => [d.key, d.kind, d.configured]),
    [
      [
        'net.ipv6.conf.eth0.stable_secret',
        'differs',
        secretDigest('2001:0db8:0000:0000:0000:0000:0000:0001'),
      ],
      [
        'net.ipv6.conf.gone0.stable_secret',
        'unknown-key',
        secretDigest('2001:0db8:0000:0000:0000:0000:0000:0002'),
      ],
    ],
  );
});
