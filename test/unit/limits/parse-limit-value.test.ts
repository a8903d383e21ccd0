import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLimitValue, parsePortRange } from '../../../src/domain/limits/parse-limit-value.js';
import { loadProcSysFixture } from '../../helpers/proc-fixture.js';

const CASES: readonly [key: string, raw: string | null | undefined, expected: number | null][] = [
  ['net.ipv4.tcp_mem', '287898\t383865\t575796', 575796],
  ['net.ipv4.tcp_mem', '1 2', null],
  ['net.ipv4.tcp_mem', '1 2 x', null],
  ['net.ipv4.udp_mem', '1 2 3', 3],
  ['net.ipv4.ip_local_port_range', '32768\t60999', 28232],
  ['net.ipv4.ip_local_port_range', '40000 40019\n', 20],
  ['net.ipv4.ip_local_port_range', '5 5', 1],
  ['net.ipv4.ip_local_port_range', '60999 32768', null],
  ['net.ipv4.ip_local_port_range', '32768', null],
  ['kernel.sem', '32000\t1024000000\t500\t32000', 32000],
  ['kernel.sem', '250 32000 32 128', 128],
  ['kernel.sem', '250 32000 32', null],
  ['kernel.shmmni', '4096\n', 4096],
  ['net.core.somaxconn', '4096', 4096],
  ['fs.file-max', '9223372036854775807', Number('9223372036854775807')],
  ['kernel.pid_max', '0', 0],
  ['kernel.pid_max', '-1', null],
  ['kernel.pid_max', '1.5', null],
  ['kernel.pid_max', '0x10', null],
  ['kernel.pid_max', '1 2', null],
  ['kernel.pid_max', '', null],
  ['kernel.pid_max', null, null],
  ['kernel.pid_max', undefined, null],
];

for (const [key, raw, expected] of CASES) {
  test(`parseLimitValue(${key}, ${JSON.stringify(raw)}) is ${expected}`, () => {
    assert.equal(parseLimitValue(key, raw), expected);
  });
}

test('parsePortRange returns both ends', () => {
  assert.deepEqual(parsePortRange('32768\t60999'), { low: 32768, high: 60999 });
  assert.equal(parsePortRange('a b'), null);
});

test('every limit key of the catalog parses on the captured /proc/sys of this machine', () => {
  const fixture = loadProcSysFixture();
  const read = (key: string): number | null => parseLimitValue(key, fixture.get(key)?.value);
  assert.equal(read('net.ipv4.ip_local_port_range'), 60999 - 32768 + 1);
  assert.equal(read('kernel.sem'), 32000);
  for (const key of [
    'net.ipv4.tcp_mem',
    'kernel.shmmni',
    'kernel.msgmni',
    'kernel.threads-max',
    'kernel.pid_max',
  ]) {
    const value = read(key);
    assert.ok(value !== null && value > 0, `${key} → ${value}`);
  }
});
