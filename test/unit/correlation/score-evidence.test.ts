import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChangeEvidence, Evidence, KeyFacts } from '../../../src/domain/correlation/evidence-types.js';
import {
  numbersOf,
  relevanceOf,
  scoreChanges,
  scoreEvidence,
} from '../../../src/domain/correlation/score-evidence.js';

const T0 = Date.UTC(2026, 10, 29, 14, 0, 0);
const HOST_WIDE = { namespace: null, containerScoped: false, startedAt: T0 };
const SET = 'net:1/ipc:2/uts:3';
const SCOPED = { namespace: SET, containerScoped: true, startedAt: T0 };
const GLOBAL: KeyFacts = { scope: 'global', childVisibility: 'mirrored' };
const NET: KeyFacts = { scope: 'net', childVisibility: 'isolated' };

function change(key: string, before: string | null, after: string | null, at: number): ChangeEvidence {
  return { kind: 'changed', key, namespace: 'host', owners: [], before, after, at };
}

test('numbersOf: one number, several separated by any whitespace, or null', () => {
  assert.deepEqual(numbersOf('65536'), [65536]);
  assert.deepEqual(numbersOf(' 65536\n'), [65536]);
  assert.deepEqual(numbersOf('32768\t60999'), [32768, 60999]);
  assert.deepEqual(numbersOf('4096  87380 6291456'), [4096, 87380, 6291456]);
  assert.deepEqual(numbersOf('-1'), [-1]);
  assert.equal(numbersOf(''), null);
  assert.equal(numbersOf(' \t'), null);
  assert.equal(numbersOf('cubic'), null);
  assert.equal(numbersOf('1 reno'), null);
});

test('a change before the start scores 25, +10 only when a known limit key lost room', () => {
  const once = (key: string, before: string, after: string): number =>
    scoreChanges([change(key, before, after, T0 - 60_000)], HOST_WIDE);
  assert.equal(once('net.netfilter.nf_conntrack_max', '262144', '65536'), 35);
  assert.equal(once('net.netfilter.nf_conntrack_max', '65536', '262144'), 25);
  assert.equal(
    once('net.ipv4.tcp_keepalive_time', '7200', '60'),
    25,
    'not a limit: lower is not "less room"',
  );
  assert.equal(once('net.ipv4.ip_local_port_range', '32768\t60999', '40000\t60999'), 35, 'a narrower range');
  assert.equal(once('net.ipv4.ip_local_port_range', '32768\t60999', '1024\t65535'), 25);
  assert.equal(once('net.ipv4.tcp_mem', '1 2 300', '1 2 100'), 35, 'tcp_mem: the third field is the limit');
  assert.equal(
    once('vm.min_free_kbytes', '67584', '200000'),
    35,
    'direction down: more reserve is less room',
  );
  assert.equal(once('kernel.msgmax', 'cubic', 'reno'), 25);
});

test('made and reverted before the start is weak; reverted after the start is remediation', () => {
  const key = 'net.core.netdev_max_backlog';
  const made = change(key, '1000', '10', T0 - 120_000);
  const undoneBefore = change(key, '10', '1000', T0 - 60_000);
  const undoneAfter = change(key, '10', '1000', T0 + 60_000);
  assert.equal(scoreChanges([made, undoneBefore], HOST_WIDE), 5);
  assert.equal(scoreChanges([made], HOST_WIDE), 35);
  assert.equal(scoreChanges([undoneAfter, made], HOST_WIDE), 25, '35 for the change, −10 for its revert');
  const during = [change(key, '1000', '10', T0 + 10_000), change(key, '10', '1000', T0 + 20_000)];
  assert.equal(scoreChanges(during, HOST_WIDE), 3, 'made and undone during the incident');
  assert.equal(scoreChanges([change(key, '1000', '10', T0 + 10_000)], HOST_WIDE), 15, 'after the start');
  assert.equal(scoreChanges([], HOST_WIDE), 0);
});

test('saturation, counters, kernel lines, own values and declared mismatches score as the README says', () => {
  const saturated = (ratio: number, namespace = 'host'): Evidence => ({
    kind: 'saturated',
    key: 'net.netfilter.nf_conntrack_max',
    metric: 'conntrack.entries',
    namespace,
    owners: [],
    usage: ratio * 100,
    limit: 100,
    ratio,
    at: T0,
  });
  assert.equal(scoreEvidence(saturated(1), HOST_WIDE), 45);
  assert.equal(scoreEvidence(saturated(0.96), HOST_WIDE), 35);
  assert.equal(scoreEvidence(saturated(0.85), HOST_WIDE), 20);
  assert.equal(scoreEvidence(saturated(1, SET), SCOPED), 50);
  const overflowed = (increase: number): Evidence => ({
    kind: 'overflowed',
    key: 'net.core.somaxconn',
    metric: 'tcp.listen_overflows.total',
    namespace: SET,
    owners: ['web'],
    increase,
    perSecond: increase / 10,
    limit: 4,
    from: T0,
    at: T0 + 10_000,
  });
  assert.equal(scoreEvidence(overflowed(0), HOST_WIDE), 0);
  assert.equal(scoreEvidence(overflowed(9), HOST_WIDE), 30);
  assert.equal(scoreEvidence(overflowed(99), HOST_WIDE), 40);
  assert.equal(scoreEvidence(overflowed(100_000), HOST_WIDE), 45, 'capped like a full saturation');
  assert.equal(scoreEvidence(overflowed(99), SCOPED), 45);
  const own = (value: string, host: string | null, fresh: string | null): Evidence => ({
    kind: 'own-value',
    key: 'net.core.somaxconn',
    namespace: SET,
    owners: ['web'],
    value,
    host,
    fresh,
    since: T0,
    atCreation: true,
  });
  assert.equal(scoreEvidence(own('4', '4096', '4096'), SCOPED), 30);
  assert.equal(scoreEvidence(own('8192', '4096', '4096'), SCOPED), 10, 'more room than the host: weak');
  assert.equal(scoreEvidence(own('4', '4', '4096'), SCOPED), 30, 'less than a fresh namespace gets');
  const line: Evidence = {
    kind: 'kernel-event',
    key: 'net.netfilter.nf_conntrack_max',
    signature: 'conntrack-table-full',
    namespace: SET,
    owners: [],
    count: 9,
    firstAt: T0,
    lastAt: T0,
    sampleLine: 'x',
  };
  assert.equal(scoreEvidence(line, HOST_WIDE), 60);
  assert.equal(scoreEvidence(line, SCOPED), 70);
  const declared: Evidence = {
    kind: 'declared-mismatch',
    key: 'k',
    container: 'c',
    declared: '1',
    effective: '2',
  };
  assert.equal(scoreEvidence(declared, SCOPED), 15);
});

test('baseline drift is weighed by class and doubled when other evidence touches the key', () => {
  const drift = (key: string, here: string, there: string): Evidence => ({
    kind: 'baseline-drift',
    key,
    baseline: 'staging',
    here,
    there,
  });
  assert.equal(scoreEvidence(drift('fs.file-max', '1000', '90000'), HOST_WIDE, GLOBAL), 12);
  assert.equal(scoreEvidence(drift('fs.file-max', '90000', '1000'), HOST_WIDE, GLOBAL), 4);
  assert.equal(scoreEvidence(drift('fs.file-max', '1000', '90000'), HOST_WIDE, GLOBAL, true), 24);
  assert.equal(scoreEvidence(drift('kernel.panic', '0', '10'), HOST_WIDE, GLOBAL), 6);
  assert.equal(scoreEvidence(drift('net.ipv4.tcp_ecn', '0', '2'), HOST_WIDE, NET), 3);
});

test('relevance: the incident set and host-wide measures are its own; another set names a co-consumer or nothing', () => {
  const at = (namespace: string, key: string, metric: string): Evidence => ({
    kind: 'saturated',
    key,
    metric,
    namespace,
    owners: [],
    usage: 1,
    limit: 1,
    ratio: 1,
    at: T0,
  });
  const conntrack = 'net.netfilter.nf_conntrack_max';
  assert.equal(relevanceOf(at(SET, conntrack, 'conntrack.entries'), GLOBAL, SCOPED), 'own');
  assert.equal(
    relevanceOf(at('net:9/ipc:9/uts:9', conntrack, 'conntrack.entries'), GLOBAL, SCOPED),
    'co-consumer',
  );
  assert.equal(relevanceOf(at('host', conntrack, 'conntrack.entries'), GLOBAL, SCOPED), 'co-consumer');
  assert.equal(relevanceOf(at('host', 'fs.file-max', 'files.allocated'), GLOBAL, SCOPED), 'own');
  assert.equal(relevanceOf(at('net:9/ipc:9/uts:9', 'net.core.somaxconn', 'x'), NET, SCOPED), 'unrelated');
  assert.equal(relevanceOf(at('net:9/ipc:9/uts:9', 'net.core.somaxconn', 'x'), NET, HOST_WIDE), 'own');
});
