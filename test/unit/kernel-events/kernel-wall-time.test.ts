import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  bootWallTime,
  kernelTimeToWall,
  parseUptime,
} from '../../../src/domain/kernel-events/kernel-wall-time.js';
import { planKmsgStart } from '../../../src/domain/kernel-events/plan-kmsg-start.js';

const NOW = Date.UTC(2026, 10, 27, 11, 37, 47, 650);

test('boot wall time is now minus uptime; kernel µs since boot map onto it', () => {
  const boot = bootWallTime(NOW, parseUptime('1963.65 1921.93\n') ?? 0);
  assert.equal(boot, NOW - 1_963_650);
  // The first conntrack line of the fixture: 1969.359008 s after boot.
  assert.equal(kernelTimeToWall(1_969_359_008, boot), NOW - 1_963_650 + 1_969_359);
  assert.equal(new Date(kernelTimeToWall(0, boot)).toISOString(), '2026-11-27T11:05:04.000Z');
  assert.equal(kernelTimeToWall(999, boot), boot, 'sub-millisecond parts are dropped');
});

test('parseUptime rejects what is not /proc/uptime', () => {
  assert.equal(parseUptime('12.5 3.0'), 12.5);
  for (const text of ['', 'x 1', '-1 2']) assert.equal(parseUptime(text), null, text);
});

test('planKmsgStart: end on the first run, after the cursor in the same boot, beginning after a reboot', () => {
  assert.deepEqual(planKmsgStart(null, 'b1'), { mode: 'end' });
  assert.deepEqual(planKmsgStart({ bootId: 'b1', lastSeq: 41 }, 'b1'), { mode: 'after', seq: 41 });
  assert.deepEqual(planKmsgStart({ bootId: 'b0', lastSeq: 41 }, 'b1'), { mode: 'beginning' });
});
