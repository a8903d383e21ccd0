import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deriveDriftEvents } from '../../../src/domain/webhooks/derive-drift-events.js';

const T0 = Date.parse('2026-12-01T10:00:00Z');
const T1 = Date.parse('2026-12-01T11:00:00Z');

test('one config.drift per key that appeared or ended, with its line, state and times', () => {
  const events = deriveDriftEvents({
    snapshotId: 7,
    takenAt: T1,
    atReboot: true,
    appeared: [
      {
        key: 'net.core.somaxconn',
        runtime: '4096',
        configured: '65535',
        source: { file: '/etc/sysctl.d/90-tuning.conf', line: 3 },
        unknownToKernel: false,
        since: T1,
      },
    ],
    ended: [
      {
        key: 'vm.swappiness',
        runtime: '10',
        configured: '10',
        source: { file: '/etc/sysctl.d/90-tuning.conf', line: 4 },
        unknownToKernel: false,
        since: T0,
      },
    ],
  });
  assert.deepEqual(
    events.map((e) => [e.type, e.keys, e.namespaces, e.data.state, e.data.since, e.data.endedAt]),
    [
      ['config.drift', ['net.core.somaxconn'], ['host'], 'appeared', '2026-12-01T11:00:00.000Z', null],
      [
        'config.drift',
        ['vm.swappiness'],
        ['host'],
        'ended',
        '2026-12-01T10:00:00.000Z',
        '2026-12-01T11:00:00.000Z',
      ],
    ],
  );
  assert.deepEqual(events[0]?.data.source, { file: '/etc/sysctl.d/90-tuning.conf', line: 3 });
  assert.equal(events[0]?.data.atReboot, true);
  assert.deepEqual(events[1]?.data.snapshot, { id: 7, takenAt: '2026-12-01T11:00:00.000Z' });
});

test('a key no longer configured ends with a null source', () => {
  const [event] = deriveDriftEvents({
    snapshotId: 8,
    takenAt: T1,
    atReboot: false,
    appeared: [],
    ended: [{ key: 'a.b', runtime: '1', configured: null, source: null, unknownToKernel: false, since: T0 }],
  });
  assert.equal(event?.data.source, null);
  assert.equal(event?.data.configured, null);
});
