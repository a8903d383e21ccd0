import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isWellFormedKey, keyFromSegments } from '../../../src/domain/sysctl/sysctl-key.js';

test('keyFromSegments joins with dots and shows dots inside a segment as slashes (procps convention)', () => {
  assert.equal(keyFromSegments(['net', 'ipv4', 'tcp_mem']), 'net.ipv4.tcp_mem');
  assert.equal(
    keyFromSegments(['net', 'ipv4', 'conf', 'eth0.100', 'forwarding']),
    'net.ipv4.conf.eth0/100.forwarding',
  );
});

test('isWellFormedKey accepts sysctl names and rejects traversal and junk', () => {
  for (const good of [
    'net.core.somaxconn',
    'fs.file-max',
    'net.ipv4.conf.eth0/100.forwarding',
    'kernel.sched_domain.cpu0',
  ]) {
    assert.equal(isWellFormedKey(good), true, good);
  }
  for (const bad of [
    '',
    '../../etc/shadow',
    'net..core',
    '.net',
    'net.',
    'a b',
    'net.core.somaxconn\0',
    'x'.repeat(300),
    '%2e%2e',
  ]) {
    assert.equal(isWellFormedKey(bad), false, bad);
  }
});
