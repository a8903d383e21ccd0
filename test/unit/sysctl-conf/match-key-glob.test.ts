import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileKeyGlob, isKeyGlob } from '../../../src/domain/sysctl-conf/match-key-glob.js';
import { normalizeConfKey } from '../../../src/domain/sysctl-conf/parse-sysctl-conf.js';

const CASES: Array<[glob: string, key: string, matches: boolean]> = [
  ['net.ipv4.conf.*.rp_filter', 'net.ipv4.conf.eth0.rp_filter', true],
  ['net.ipv4.conf.*.rp_filter', 'net.ipv4.conf.eth0/100.rp_filter', true],
  ['net.ipv4.conf.*.rp_filter', 'net.ipv4.conf.rp_filter', false],
  ['net.ipv4.conf.*', 'net.ipv4.conf.eth0.rp_filter', false],
  ['net.ipv4.conf.eth?.forwarding', 'net.ipv4.conf.eth1.forwarding', true],
  ['net.ipv4.conf.eth?.forwarding', 'net.ipv4.conf.eth10.forwarding', false],
  ['net.ipv4.conf.eth[0-2].forwarding', 'net.ipv4.conf.eth2.forwarding', true],
  ['net.ipv4.conf.eth[!0-2].forwarding', 'net.ipv4.conf.eth2.forwarding', false],
  ['net.ipv4.conf.eth[!0-2].forwarding', 'net.ipv4.conf.eth3.forwarding', true],
  ['net.ipv4.conf.*0.forwarding', 'net.ipv4.conf.eth0/100.forwarding', true],
  ['net.*.conf.all.*', 'net.ipv6.conf.all.forwarding', true],
  ['kernel.*a*a*a*a*a*a*a*a*a*b', `kernel.${'a'.repeat(200)}`, false],
  ['kernel.[abc', 'kernel.[abc', true],
];

test('key globs match segment by segment, as glob(3) matches /proc/sys paths', () => {
  for (const [glob, key, expected] of CASES) {
    assert.equal(compileKeyGlob(glob)(key), expected, `${glob} vs ${key}`);
  }
});

test('isKeyGlob: *, ? and [ make a glob', () => {
  assert.deepEqual(['net.core.somaxconn', 'net.*.x', 'a.b?', 'a.[b]'].map(isKeyGlob), [
    false,
    true,
    true,
    true,
  ]);
});

test('normalizeConfKey: path form and dotted form give the same key', () => {
  assert.equal(normalizeConfKey('net/ipv4/conf/eth0.100/forwarding'), 'net.ipv4.conf.eth0/100.forwarding');
  assert.equal(normalizeConfKey('net.ipv4.conf.eth0/100.forwarding'), 'net.ipv4.conf.eth0/100.forwarding');
  assert.equal(normalizeConfKey('/net//core/somaxconn/'), 'net.core.somaxconn');
  assert.equal(normalizeConfKey('kernel.pid_max'), 'kernel.pid_max');
});
