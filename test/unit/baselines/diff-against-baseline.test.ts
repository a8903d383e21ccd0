import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diffAgainstBaseline, type KeyClass } from '../../../src/domain/baselines/diff-against-baseline.js';

const cls = (
  scope: KeyClass['scope'],
  childVisibility: KeyClass['childVisibility'],
  volatile = false,
): KeyClass => ({
  scope,
  childVisibility,
  volatile,
});

const catalog = new Map<string, KeyClass>([
  ['net.core.somaxconn', cls('net', 'isolated')],
  ['net.netfilter.nf_conntrack_max', cls('global', 'mirrored')],
  ['kernel.pid_max', cls('global', null)],
  ['net.ipv4.tcp_fin_timeout', cls('net', 'isolated')],
  ['fs.file-nr', cls('global', null, true)],
  ['net.ipv4.conf.eth0.forwarding', cls('net', 'isolated')],
]);

test('host-wide keys (global, mirrored) come before namespaced ones, each group by key', () => {
  const here = new Map([
    ['net.core.somaxconn', '4096'],
    ['net.netfilter.nf_conntrack_max', '262144'],
    ['kernel.pid_max', '4194304'],
    ['net.ipv4.tcp_fin_timeout', '60'],
    ['fs.file-nr', '1 0 100'],
    ['net.ipv4.conf.eth0.forwarding', '1'],
  ]);
  const baseline = new Map<string, string | null>([
    ['net.core.somaxconn', '128'],
    ['net.netfilter.nf_conntrack_max', '65536'],
    ['kernel.pid_max', '32768'],
    ['net.ipv4.tcp_fin_timeout', '60'],
    ['fs.file-nr', '9 0 100'],
    ['net.ipv6.conf.all.forwarding', '0'],
  ]);
  const theirs = new Map([...catalog, ['net.ipv6.conf.all.forwarding', cls('net', 'isolated')]]);
  const result = diffAgainstBaseline(
    { values: here, classification: catalog },
    { values: baseline, classification: theirs },
  );
  assert.deepEqual(
    result.map((d) => [d.key, d.kind, d.here, d.baseline]),
    [
      ['kernel.pid_max', 'changed', '4194304', '32768'],
      ['net.netfilter.nf_conntrack_max', 'changed', '262144', '65536'],
      ['net.core.somaxconn', 'changed', '4096', '128'],
      ['net.ipv4.conf.eth0.forwarding', 'only-here', '1', null],
      ['net.ipv6.conf.all.forwarding', 'only-baseline', null, '0'],
    ],
  );
  assert.deepEqual(result[1], {
    key: 'net.netfilter.nf_conntrack_max',
    scope: 'global',
    childVisibility: 'mirrored',
    here: '262144',
    baseline: '65536',
    kind: 'changed',
  });
});

test('equal states, whitespace-folded values and counters give no differences', () => {
  const here = new Map([
    ['net.core.somaxconn', '4096'],
    ['net.ipv4.tcp_fin_timeout', '4096\t131072'],
    ['fs.file-nr', '1'],
  ]);
  const baseline = new Map([
    ['net.core.somaxconn', '4096'],
    ['net.ipv4.tcp_fin_timeout', '4096 131072'],
    ['fs.file-nr', '2'],
  ]);
  assert.deepEqual(
    diffAgainstBaseline(
      { values: here, classification: catalog },
      { values: baseline, classification: catalog },
    ),
    [],
  );
});

test('a key volatile on either side is skipped; the scope filter uses this host classification', () => {
  const theirs = new Map([...catalog, ['net.core.somaxconn', cls('global', 'mirrored', true)]]);
  const here = new Map([
    ['net.core.somaxconn', '1'],
    ['kernel.pid_max', '1'],
  ]);
  const baseline = new Map([
    ['net.core.somaxconn', '2'],
    ['kernel.pid_max', '2'],
  ]);
  const ours = { values: here, classification: catalog };
  assert.deepEqual(
    diffAgainstBaseline(ours, { values: baseline, classification: theirs }).map((d) => d.key),
    ['kernel.pid_max'],
  );
  assert.deepEqual(
    diffAgainstBaseline(ours, { values: baseline, classification: catalog }, 'net').map((d) => d.key),
    ['net.core.somaxconn'],
  );
});

test('unreadable on one side is a change', () => {
  const result = diffAgainstBaseline(
    { values: new Map([['kernel.pid_max', null]]), classification: catalog },
    { values: new Map([['kernel.pid_max', '1']]), classification: catalog },
  );
  assert.deepEqual(
    result.map((d) => [d.kind, d.here, d.baseline]),
    [['changed', null, '1']],
  );
});
