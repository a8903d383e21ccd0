import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { decodeKmsgEscapes, parseKmsgRecord } from '../../../src/domain/kernel-events/parse-kmsg-record.js';
import { splitKmsgRecords } from '../../../src/domain/kernel-events/split-kmsg-records.js';
import { repoPath } from '../../helpers/repo-path.js';

const CAPTURE = readFileSync(repoPath('test', 'fixtures', 'kmsg', 'boot-6.18.txt'), 'utf8');

test('every record of a real 6.18 capture parses, in increasing sequence order', () => {
  const { records, rest } = splitKmsgRecords(CAPTURE);
  assert.equal(rest, '');
  const lines = CAPTURE.split('\n').filter((l) => l !== '');
  const continuation = lines.filter((l) => l.startsWith(' ')).length;
  assert.equal(continuation, 68);
  assert.equal(records.length, lines.length - continuation);
  const parsed = records.map(parseKmsgRecord);
  assert.ok(parsed.every((r) => r !== null));
  const seqs = parsed.map((r) => r?.seq ?? -1);
  assert.ok(seqs.every((seq, i) => i === 0 || seq > (seqs[i - 1] ?? 0)));
  assert.equal(seqs[0], 0);
  assert.equal(seqs.at(-1), 798);
  const facilities = new Map<number, number>();
  for (const r of parsed) if (r) facilities.set(r.facility, (facilities.get(r.facility) ?? 0) + 1);
  assert.equal(facilities.get(1), 1, 'one user-facility record');
  assert.equal(facilities.get(0), records.length - 1);
});

test('parseKmsgRecord reads header fields, continuation lines and escapes', () => {
  const record = parseKmsgRecord(
    '6,195,248966,-;acpi PNP0A08:00: _OSC: OS supports [ExtendedConfig]\n SUBSYSTEM=acpi\n DEVICE=+acpi:PNP0A08:00\n',
  );
  assert.deepEqual(record, {
    facility: 0,
    level: 6,
    seq: 195,
    tsUsec: 248966,
    flags: '-',
    message: 'acpi PNP0A08:00: _OSC: OS supports [ExtendedConfig]',
    properties: { SUBSYSTEM: 'acpi', DEVICE: '+acpi:PNP0A08:00' },
  });
  assert.equal(
    parseKmsgRecord('6,102,163755,-;rcu: \\x09RCU restricting CPUs')?.message,
    'rcu: \tRCU restricting CPUs',
  );
  assert.equal(parseKmsgRecord('4,284,366107,-;BIOS.\\x0aPlease enable')?.message, 'BIOS.\nPlease enable');
  const user = parseKmsgRecord('14,787,2000371954,-;kl-fixture: user line');
  assert.equal(user?.facility, 1);
  assert.equal(user?.level, 6);
  assert.equal(parseKmsgRecord('6,339,5140900,-,caller=T1;with caller id')?.message, 'with caller id');
  assert.equal(parseKmsgRecord('4,12,34,c;a;b')?.message, 'a;b');
});

test('parseKmsgRecord rejects text that is not a record', () => {
  for (const text of ['', 'hello', ' SUBSYSTEM=acpi', 'x,1,2,-;m', '6,1;m', '6,-1,2,-;m', '6,1,2,-']) {
    assert.equal(parseKmsgRecord(text), null, text);
  }
});

test('decodeKmsgEscapes decodes \\xNN only', () => {
  assert.equal(decodeKmsgEscapes('a\\x5cb\\x09c\\xzz'), 'a\\b\tc\\xzz');
});

test('splitKmsgRecords keeps a cut record for the next read and drops orphan continuation lines', () => {
  const first = splitKmsgRecords(' DEVICE=+x\n6,1,2,-;one\n SUBSYSTEM=a\n6,2,3,-;tw');
  assert.deepEqual(first.records, ['6,1,2,-;one\n SUBSYSTEM=a']);
  assert.equal(first.rest, '6,2,3,-;tw');
  assert.deepEqual(splitKmsgRecords(`${first.rest}o\n`).records, ['6,2,3,-;two']);
  assert.deepEqual(splitKmsgRecords('').records, []);
});
