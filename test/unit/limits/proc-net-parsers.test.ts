import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { countArpEntries } from '../../../src/domain/limits/parse-arp-table.js';
import { parsePortRange } from '../../../src/domain/limits/parse-limit-value.js';
import { parseLoadavg } from '../../../src/domain/limits/parse-loadavg.js';
import { parseNeighbourStat } from '../../../src/domain/limits/parse-neighbour-stat.js';
import { parseNetstat } from '../../../src/domain/limits/parse-netstat.js';
import { countPortsInRange, parseSocketTable } from '../../../src/domain/limits/parse-socket-table.js';
import {
  parseSockstat,
  socketTablesToRead,
  tcpMemoryPages,
} from '../../../src/domain/limits/parse-sockstat.js';
import { countSysvipcObjects } from '../../../src/domain/limits/parse-sysvipc.js';
import { repoPath } from '../../helpers/repo-path.js';

/** test/fixtures/proc-net/{host,netns}/NAME (see its README). */
function fixture(place: 'host' | 'netns', name: string): string {
  return readFileSync(repoPath('test', 'fixtures', 'proc-net', place, name), 'utf8');
}

const TABLES = ['tcp', 'tcp6', 'udp', 'udp6'] as const;

test('socket tables: local port and state of every row, IPv4 and IPv6 layouts', () => {
  const tcp = parseSocketTable(fixture('netns', 'tcp'));
  assert.equal(tcp.length, 10);
  assert.deepEqual(tcp[0], { localPort: 5555, state: 0x0a });
  assert.equal(tcp.filter((r) => r.state === 0x02).length, 4, 'SYN_SENT beyond the backlog');
  const tcp6 = parseSocketTable(fixture('netns', 'tcp6'));
  assert.equal(tcp6.length, 5);
  assert.deepEqual(tcp6[3], { localPort: 40006, state: 0x05 }, 'the timewait socket (FIN_WAIT2 substate)');
  assert.deepEqual(parseSocketTable(fixture('netns', 'udp6')), [{ localPort: 40005, state: 0x07 }]);
  assert.deepEqual(parseSocketTable(fixture('host', 'tcp')), [{ localPort: 2024, state: 0x0a }]);
  assert.deepEqual(parseSocketTable(fixture('host', 'udp6')), [], 'a header only');
  assert.deepEqual(parseSocketTable(''), []);
  assert.deepEqual(parseSocketTable('garbage\n 0: zz'), []);
});

test('ports in use: sockets with a local port in the netns range 40000-40019, TIME_WAIT included', () => {
  const range = parsePortRange(fixture('netns', 'ip_local_port_range'));
  assert.deepEqual(range, { low: 40000, high: 40019 });
  const tables = TABLES.map((t) => fixture('netns', t));
  // tcp: the ephemeral listener + 6 clients to 5555; tcp6: 2 clients to 5556 (one closed, lingering); udp, udp6: 1 each
  assert.equal(countPortsInRange(tables, range), 11);
  assert.equal(countPortsInRange(tables, { low: 5555, high: 5556 }), 6, 'the listeners and accepted sockets');
  const host = TABLES.map((t) => fixture('host', t));
  const hostRange = parsePortRange(fixture('host', 'ip_local_port_range'));
  assert.ok(hostRange);
  assert.equal(countPortsInRange(host, hostRange), 0, 'the host listens on 2024 only');
});

test('arp: one row per neighbour of the netns', () => {
  assert.equal(countArpEntries(fixture('netns', 'arp')), 2);
  assert.equal(countArpEntries(fixture('host', 'arp')), 1);
  assert.equal(
    countArpEntries('IP address       HW type     Flags       HW address            Mask     Device\n'),
    0,
  );
});

test('arp_cache stat: global entries (column 1, hex, same on each CPU row) and table_fulls summed', () => {
  assert.deepEqual(parseNeighbourStat(fixture('host', 'arp_cache')), { entries: 2, tableFulls: 0 });
  const full = 'entries table_fulls\n00000400 00000003\n00000400 00000002\n';
  assert.deepEqual(parseNeighbourStat(full), { entries: 1024, tableFulls: 5 });
  assert.equal(parseNeighbourStat('entries\n'), null);
  assert.equal(parseNeighbourStat('allocs\n00000001\n'), null);
  assert.equal(parseNeighbourStat('entries table_fulls\n0000zz 1\n'), null);
});

test('sockstat: TCP mem pages (global), per-protocol fields', () => {
  assert.equal(tcpMemoryPages(fixture('host', 'sockstat')), 186);
  assert.equal(tcpMemoryPages(fixture('netns', 'sockstat')), 186, 'the same global number in the netns view');
  assert.deepEqual(parseSockstat(fixture('netns', 'sockstat')).get('TCP'), {
    inuse: 10,
    orphan: 0,
    tw: 1,
    alloc: 15,
    mem: 186,
  });
  assert.equal(tcpMemoryPages('UDP: inuse 0 mem 0\n'), null);
});

test('netstat: TcpExt ListenOverflows and ListenDrops of the netns and of the host', () => {
  const netns = parseNetstat(fixture('netns', 'netstat'));
  assert.equal(netns.get('TcpExt.ListenOverflows'), 16);
  assert.equal(netns.get('TcpExt.ListenDrops'), 16);
  assert.ok(netns.has('IpExt.InOctets'));
  const host = parseNetstat(fixture('host', 'netstat'));
  assert.equal(host.get('TcpExt.ListenOverflows'), 0);
  assert.equal(parseNetstat('TcpExt: A B\nTcpExt: 1\n').size, 0, 'mismatched lengths are skipped');
  const only = parseNetstat(
    fixture('netns', 'netstat'),
    new Set(['TcpExt.ListenOverflows', 'IpExt.InOctets']),
  );
  assert.deepEqual(
    [...only.keys()].sort(),
    ['IpExt.InOctets', 'TcpExt.ListenOverflows'],
    'only the counters asked for',
  );
  assert.equal(only.get('TcpExt.ListenOverflows'), 16);
  assert.equal(only.get('IpExt.InOctets'), netns.get('IpExt.InOctets'));
});

test('loadavg: field 4 total threads, field 5 last pid', () => {
  assert.deepEqual(parseLoadavg(fixture('host', 'loadavg')), { runnable: 5, threads: 159, lastPid: 32764 });
  assert.equal(parseLoadavg('1 2 3'), null);
  assert.equal(parseLoadavg(''), null);
});

test('sysvipc: objects per kind, from separate files or one concatenated read', () => {
  assert.deepEqual(countSysvipcObjects(fixture('netns', 'sysvipc-all')), { shm: 2, msg: 1, sem: 3 });
  assert.deepEqual(countSysvipcObjects(fixture('host', 'sysvipc-shm')), { shm: 0, msg: null, sem: null });
  const host = ['shm', 'msg', 'sem'].map((k) => fixture('host', `sysvipc-${k}`)).join('\n');
  assert.deepEqual(countSysvipcObjects(host), { shm: 0, msg: 0, sem: 0 });
  assert.deepEqual(countSysvipcObjects(''), { shm: null, msg: null, sem: null });
});

test('socket tables worth reading: only those sockstat does not count as empty; unknown counts are read', () => {
  const sockstat = (tcp: string, udp: string): string =>
    `sockets: used 5\nTCP: ${tcp} alloc 3 mem 186\nUDP: inuse ${udp} mem 2\nRAW: inuse 0\n`;
  const sockstat6 = (tcp6: number, udp6: number): string =>
    `TCP6: inuse ${tcp6}\nUDP6: inuse ${udp6}\nUDPLITE6: inuse 0\n`;
  const read = (v4: string | null, v6: string | null): string[] => [...socketTablesToRead(v4, v6)].sort();
  // An idle pod: nothing hashed, no TIME_WAIT (alloc and mem are global and do not count).
  assert.deepEqual(read(sockstat('inuse 0 orphan 0 tw 0', '0'), sockstat6(0, 0)), []);
  assert.deepEqual(read(sockstat('inuse 2 orphan 0 tw 0', '0'), sockstat6(0, 1)), ['tcp', 'udp6']);
  // TIME_WAIT is counted once for both families: both tables may hold it.
  assert.deepEqual(read(sockstat('inuse 0 orphan 0 tw 3', '1'), sockstat6(0, 0)), ['tcp', 'tcp6', 'udp']);
  assert.deepEqual(read(sockstat('inuse 0 orphan 0 tw 0', '0'), sockstat6(4, 0)), ['tcp6']);
  // No IPv6 (no sockstat6), a missing field, no sockstat at all: read rather than guess.
  assert.deepEqual(read(sockstat('inuse 0 orphan 0', '0'), null), ['tcp', 'tcp6', 'udp6']);
  assert.deepEqual(read(null, null), ['tcp', 'tcp6', 'udp', 'udp6']);
  assert.deepEqual(read(fixture('netns', 'sockstat'), null).includes('tcp'), true);
});
