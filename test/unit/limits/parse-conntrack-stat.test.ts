import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseConntrackStat } from '../../../src/domain/limits/parse-conntrack-stat.js';
import { repoPath } from '../../helpers/repo-path.js';

function fixture(name: string): string {
  return readFileSync(repoPath('test', 'fixtures', 'conntrack-stat', name), 'utf8');
}

/** The 16 counter columns of Linux 6.18, in header order, all zero. */
const ZERO_COUNTERS: Readonly<Record<string, number>> = {
  clashres: 0,
  found: 0,
  new: 0,
  invalid: 0,
  ignore: 0,
  delete: 0,
  chainlength: 0,
  insert: 0,
  insert_failed: 0,
  drop: 0,
  early_drop: 0,
  icmp_error: 0,
  expect_new: 0,
  expect_create: 0,
  expect_delete: 0,
  search_restart: 0,
};

const HEADER =
  'entries  clashres found new invalid ignore delete chainlength insert insert_failed drop early_drop icmp_error  expect_new expect_create expect_delete search_restart';

function row(entries: string, overrides: Partial<Record<keyof typeof ZERO_COUNTERS, string>> = {}): string {
  const cells = Object.keys(ZERO_COUNTERS).map((name) => overrides[name] ?? '00000000');
  return `${entries}  ${cells.slice(0, 12).join(' ')}  ${cells.slice(12).join(' ')}`;
}

test('host capture: 12 entries, every counter zero', () => {
  assert.deepEqual(parseConntrackStat(fixture('host-6.18.txt')), { entries: 12, counters: ZERO_COUNTERS });
});

test('netns capture: entries from hex (0x14), counters summed over both CPU rows', () => {
  // CPU 0: icmp_error 6; CPU 1: invalid 0x10, icmp_error 0xa (test/fixtures/conntrack-stat/README.md).
  assert.deepEqual(parseConntrackStat(fixture('netns-with-entries-6.18.txt')), {
    entries: 20,
    counters: { ...ZERO_COUNTERS, invalid: 16, icmp_error: 16 },
  });
});

test('the counters are keyed by the header names, in header order, without entries', () => {
  const stat = parseConntrackStat(fixture('netns-with-entries-6.18.txt'));
  assert.deepEqual(Object.keys(stat?.counters ?? {}), Object.keys(ZERO_COUNTERS));
});

test('hex cells: lower and upper case, full 32-bit values, sums beyond 32 bits', () => {
  const text = [
    HEADER,
    row('0003ffff', { drop: 'ffffffff', early_drop: '0000000A', search_restart: '7fffffff' }),
    row('0003ffff', { drop: 'ffffffff', early_drop: '0000000a', insert_failed: '00000001' }),
    '',
  ].join('\n');
  assert.deepEqual(parseConntrackStat(text), {
    entries: 0x3ffff,
    counters: {
      ...ZERO_COUNTERS,
      drop: 2 * 0xffffffff,
      early_drop: 20,
      insert_failed: 1,
      search_restart: 0x7fffffff,
    },
  });
});

test('entries come from the first CPU row; the others only add counters', () => {
  const text = [HEADER, row('00000005', { drop: '00000001' }), row('00000007', { drop: '00000002' })].join(
    '\n',
  );
  assert.deepEqual(parseConntrackStat(text), { entries: 5, counters: { ...ZERO_COUNTERS, drop: 3 } });
});

test('one CPU row, blank lines, CRLF and surrounding whitespace are fine', () => {
  const cases: readonly [label: string, text: string][] = [
    ['one row', `${HEADER}\n${row('00000001')}\n`],
    ['no final newline', `${HEADER}\n${row('00000001')}`],
    ['blank lines around', `\n\n${HEADER}\n\n${row('00000001')}\n\n`],
    ['CRLF', `${HEADER}\r\n${row('00000001')}\r\n`],
    ['indented', `  ${HEADER}\n\t${row('00000001')}  \n`],
  ];
  for (const [label, text] of cases) {
    assert.deepEqual(parseConntrackStat(text), { entries: 1, counters: ZERO_COUNTERS }, label);
  }
});

test('a minimal layout: only the entries column', () => {
  assert.deepEqual(parseConntrackStat('entries\n0000002a\n0000002a\n'), { entries: 42, counters: {} });
});

test('the entries column may be anywhere in the header', () => {
  assert.deepEqual(parseConntrackStat('drop entries found\n1 a 0\n2 a 3\n'), {
    entries: 10,
    counters: { drop: 3, found: 3 },
  });
});

test('no usable data gives null', () => {
  const cases: readonly [label: string, text: string][] = [
    ['empty', ''],
    ['whitespace only', ' \n\t\n\n'],
    ['header only', `${HEADER}\n`],
    ['header only, blank lines after', `${HEADER}\n\n  \n`],
    ['no entries column', 'clashres found new\n00000000 00000000 00000000\n'],
    ['prose', 'cat: /proc/1/net/stat/nf_conntrack: No such file or directory\n'],
    ['an HTML error page', '<html>\n<body>404</body>\n</html>\n'],
    ['a row with a missing cell', `${HEADER}\n${row('00000001').replace(/ 00000000$/, '')}\n`],
    ['a row with an extra cell', `${HEADER}\n${row('00000001')} 00000000\n`],
    ['a non-hex cell', `${HEADER}\n${row('00000001', { drop: 'zzzzzzzz' })}\n`],
    ['a non-hex entries cell', `${HEADER}\n${row('none')}\n`],
    ['a good row then a bad one', `${HEADER}\n${row('00000001')}\n${row('00000001', { found: '--' })}\n`],
    ['the header twice', `${HEADER}\n${HEADER}\n`],
  ];
  for (const [label, text] of cases) assert.equal(parseConntrackStat(text), null, label);
});

test('cells that are only partly hex, or negative, make the file unreadable rather than misread', () => {
  assert.equal(parseConntrackStat('entries drop\nentries 0000zzzz\n'), null);
  assert.equal(parseConntrackStat('entries drop\n00000014 -1\n'), null);
});
