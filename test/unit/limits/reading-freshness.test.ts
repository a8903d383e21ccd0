import assert from 'node:assert/strict';
import { test } from 'node:test';
import { failuresOf, missedReading, readingFreshness } from '../../../src/domain/limits/reading-freshness.js';

const NS = 'net:7/ipc:1/uts:1';
const HOUR = 3_600_000;
const portsFailed = (at: number) =>
  failuresOf(at, [{ target: NS, collector: 'ephemeral-ports', message: 'nsenter: cannot open' }]);
const clean = (at: number) => failuresOf(at, []);

test('a collector error names the readings it leaves unmeasured; a sysctl error leaves every reading unmeasured', () => {
  const failures = portsFailed(1000);
  assert.equal(missedReading(failures, NS, 'ports.in_use'), true);
  assert.equal(missedReading(failures, NS, 'conntrack.entries'), false);
  assert.equal(missedReading(failures, 'host', 'ports.in_use'), false);
  const sysctl = failuresOf(1000, [{ target: NS, collector: 'sysctl', message: 'vanished' }]);
  assert.equal(missedReading(sysctl, NS, 'conntrack.entries'), true);
  assert.equal(
    missedReading(failuresOf(1000, [{ source: 'docker', message: 'x' }]), NS, 'ports.in_use'),
    false,
  );
});

test('a reading the snapshot in force measured is current, measured then', () => {
  assert.deepEqual(readingFreshness(NS, 'ports.in_use', 5000, clean(5000), []), {
    stale: false,
    measuredAt: 5000,
  });
  // Stored earlier and unchanged since: still measured by the snapshot in force.
  assert.deepEqual(readingFreshness(NS, 'ports.in_use', 1000, clean(5000), []), {
    stale: false,
    measuredAt: 5000,
  });
});

test('a reading the snapshot in force failed is stale, measured at the last snapshot that did not fail it', () => {
  const history = [clean(1000), clean(2000), portsFailed(3000), clean(4000 + HOUR)];
  assert.deepEqual(readingFreshness(NS, 'ports.in_use', 1000, portsFailed(5000), history), {
    stale: true,
    measuredAt: 2000,
  });
  // A snapshot a heartbeat after the sample that measured it would have stored it again: not a measurement.
  assert.deepEqual(readingFreshness(NS, 'ports.in_use', 1000, portsFailed(2 * HOUR), history), {
    stale: true,
    measuredAt: 2000,
  });
});

test('a sample a heartbeat old or more is stale without an error: the series stopped', () => {
  assert.deepEqual(readingFreshness(NS, 'ports.in_use', 1000, clean(1000 + HOUR), []), {
    stale: true,
    measuredAt: 1000,
  });
});
