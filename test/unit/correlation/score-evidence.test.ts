import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChangeEvidence } from '../../../src/domain/correlation/evidence-types.js';
import { numbersOf, scoreEvidence } from '../../../src/domain/correlation/score-evidence.js';

const HOST_WIDE = { namespace: null, containerScoped: false };

function change(before: string | null, after: string | null): ChangeEvidence {
  return { kind: 'changed', key: 'k', namespace: 'host', owners: [], before, after, at: 0 };
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

test('a change scores 25, and 35 when a numeric limit went down in no part and up in none', () => {
  const score = (before: string | null, after: string | null): number =>
    scoreEvidence(change(before, after), HOST_WIDE);
  assert.equal(score('262144', '65536'), 35);
  assert.equal(score('65536', '262144'), 25);
  assert.equal(score('7', '7'), 25);
  assert.equal(score('32768\t60999', '40000\t60999'), 25, 'a port range that narrows from below went up');
  assert.equal(score('32768\t60999', '32768\t50000'), 35);
  assert.equal(score('4096 87380 6291456', '4096 16384 8388608'), 25, 'one part down, another up');
  assert.equal(score('1 2', '1'), 25, 'a different number of parts');
  assert.equal(score('cubic', 'reno'), 25);
  assert.equal(score('5', ''), 25, 'an emptied value is not a lower number');
  assert.equal(score(null, '5'), 25);
});
