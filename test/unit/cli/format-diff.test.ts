import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDiff } from '../../../src/cli/cli-format.js';

test('the CLI prints one line per network device, with the keys of a lasting one', () => {
  const at = '2026-12-03T16:00:00.000Z';
  const text = formatDiff({
    namespace: 'host',
    from: '2026-12-03T15:00:00.000Z',
    to: at,
    count: 1,
    entries: [
      {
        key: 'net.core.somaxconn',
        scope: 'net',
        kind: 'changed',
        before: '4096',
        after: '1024',
        changedAt: at,
        changedAfter: null,
      },
    ],
    interfaces: [
      { interface: 'veth1a2b3c4', kind: 'appeared', keyCount: 130, changedAt: at, keys: [] },
      {
        interface: 'eth0',
        kind: 'changed',
        keyCount: 1,
        changedAt: at,
        keys: [
          {
            key: 'net.ipv6.conf.eth0.mtu',
            scope: 'net',
            kind: 'changed',
            before: '1500',
            after: '1400',
            changedAt: at,
            changedAfter: null,
          },
        ],
      },
    ],
    nextCursor: null,
    reboots: [],
  });
  assert.equal(
    text,
    [
      `host: 1 keys differ between 2026-12-03T15:00:00.000Z and ${at}`,
      `  changed  net.core.somaxconn: 4096 → 1024  (at ${at})`,
      `  appeared interface veth1a2b3c4: 130 keys  (at ${at})`,
      `  changed  interface eth0: 1 keys  (at ${at})`,
      '    changed  net.ipv6.conf.eth0.mtu: 1500 → 1400',
    ].join('\n'),
  );
});
