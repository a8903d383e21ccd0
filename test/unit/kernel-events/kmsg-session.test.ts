import assert from 'node:assert/strict';
import { appendFileSync, copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import type { KmsgStart } from '../../../src/domain/kernel-events/plan-kmsg-start.js';
import { KmsgSession } from '../../../src/kernel-events/kmsg-session.js';
import { KmsgReader } from '../../../src/os/kmsg.reader.js';
import { repoPath } from '../../helpers/repo-path.js';

const dir = mkdtempSync(path.join(tmpdir(), 'kl-kmsg-session-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const BOOT = { bootId: 'b1', bootWallMs: 1_000_000, context: { plainConntrackNetInode: 4026531833 } };

function sessionOn(start: KmsgStart, name: string): { session: KmsgSession; file: string } {
  const file = path.join(dir, name);
  copyFileSync(repoPath('test', 'fixtures', 'kmsg', 'boot-6.18.txt'), file);
  const reader = new KmsgReader(file);
  reader.open();
  return { session: new KmsgSession(reader, BOOT, start), file };
}

test('beginning: every kernel-facility match of the capture, with wall times; the user record is skipped', () => {
  const { session } = sessionOn({ mode: 'beginning' }, 'beginning');
  const batch = session.read(1000);
  assert.equal(batch.lines.length, 21);
  assert.equal(batch.lastSeq, 798);
  assert.equal(batch.lost, 21, 'seq 1, 84 and 316–334 were removed from the capture');
  assert.equal(batch.lines[0]?.at, 1_000_000 + 1_969_359);
  assert.ok(batch.lines.every((l) => !l.line.includes('kl-fixture')));
  session.close();
});

test('end: the first read is discarded, later records are matched', () => {
  const { session, file } = sessionOn({ mode: 'end' }, 'end');
  const first = session.read(1000);
  assert.deepEqual([first.lines.length, first.lastSeq], [0, 798]);
  appendFileSync(file, '4,799,2100000000,-;TCP: too many orphaned sockets\n');
  const second = session.read(1000);
  assert.deepEqual(
    second.lines.map((l) => [l.seq, l.match.signature]),
    [[799, 'tcp-too-many-orphans']],
  );
  assert.equal(second.lost, 0);
  assert.deepEqual([session.read(1000).lastSeq, session.read(1000).lines.length], [null, 0]);
  session.close();
});

test('after: records up to the cursor are skipped, a gap after it is counted as lost', () => {
  const { session } = sessionOn({ mode: 'after', seq: 787 }, 'after');
  const batch = session.read(1000);
  assert.deepEqual(
    batch.lines.map((l) => l.seq),
    [788, ...Array.from({ length: 10 }, (_, i) => 789 + i)],
  );
  assert.equal(batch.lost, 0);
  const late = sessionOn({ mode: 'after', seq: 700 }, 'late').session;
  assert.equal(late.read(1000).lost, 0, 'records 701… are all present');
  late.close();
  session.close();
});
