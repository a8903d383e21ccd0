import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  configDriftEvidence,
  type DriftPeriod,
} from '../../../src/domain/correlation/config-drift-evidence.js';
import { rankSuspects } from '../../../src/domain/correlation/rank-suspects.js';

const HOUR = 3_600_000;
const FROM = Date.parse('2026-12-01T10:00:00Z');
const TO = FROM + HOUR;

function period(
  key: string,
  since: number,
  until: number | null,
  runtime: string | null = '4096',
): DriftPeriod {
  return {
    key,
    runtime,
    configured: '65535',
    source: { file: '/etc/sysctl.d/90-tuning.conf', line: 2 },
    since,
    until,
    unknownToKernel: runtime === null,
    atReboot: false,
  };
}

const ALL = new Set(['old.ended', 'old.open', 'began.inside', 'after.window']);

test('only drift that held during the window is evidence; drift that began in it is marked', () => {
  const evidence = configDriftEvidence(
    [
      period('old.ended', FROM - 3 * HOUR, FROM - HOUR),
      period('old.open', FROM - 3 * HOUR, null),
      period('began.inside', FROM + 10_000, null),
      period('after.window', TO + 1, null),
    ],
    FROM,
    TO,
    ALL,
  );
  assert.deepEqual(
    evidence.map((e) => [e.key, e.beganInWindow]),
    [
      ['old.open', false],
      ['began.inside', true],
    ],
  );
});

test('drift counts for limit keys and keys with other evidence only', () => {
  const evidence = configDriftEvidence(
    [
      period('fs.protected_fifos', FROM - HOUR, null),
      period('net.netfilter.nf_conntrack_max', FROM - HOUR, null),
      period('vm.swappiness', FROM - HOUR, null),
    ],
    FROM,
    TO,
    new Set(['vm.swappiness']),
  );
  assert.deepEqual(
    evidence.map((e) => e.key),
    ['net.netfilter.nf_conntrack_max', 'vm.swappiness'],
  );
});

test('drift that began in the window outranks old drift and an unknown key; the explanation names the line', () => {
  const evidence = configDriftEvidence(
    [
      period('net.core.somaxconn', FROM + 1000, null),
      period('vm.swappiness', FROM - HOUR, null),
      period('net.core.no_such_key', FROM + 1000, null, null),
    ],
    FROM,
    TO,
    new Set(['net.core.somaxconn', 'vm.swappiness', 'net.core.no_such_key']),
  );
  const suspects = rankSuspects(evidence, new Map(), {
    namespace: null,
    containerScoped: false,
    startedAt: FROM,
  });
  assert.deepEqual(
    suspects.map((s) => [s.key, s.score, s.kinds]),
    [
      ['net.core.somaxconn', 25, ['config-drift']],
      ['net.core.no_such_key', 15, ['config-drift']],
      ['vm.swappiness', 15, ['config-drift']],
    ],
  );
  assert.match(
    suspects[0]?.explanation ?? '',
    /It runs at 4096 while \/etc\/sysctl\.d\/90-tuning\.conf:2 sets 65535/,
  );
  assert.match(suspects[1]?.explanation ?? '', /this kernel has no such key/);
});
