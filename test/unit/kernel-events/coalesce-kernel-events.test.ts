import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  coalesceKernelEvents,
  type KernelEventBurst,
  type MatchedLine,
} from '../../../src/domain/kernel-events/coalesce-kernel-events.js';
import { readFileSync } from 'node:fs';
import { kernelTimeToWall } from '../../../src/domain/kernel-events/kernel-wall-time.js';
import { matchKernelSignature } from '../../../src/domain/kernel-events/match-kernel-signature.js';
import { parseKmsgRecord } from '../../../src/domain/kernel-events/parse-kmsg-record.js';
import { splitKmsgRecords } from '../../../src/domain/kernel-events/split-kmsg-records.js';
import { repoPath } from '../../helpers/repo-path.js';

const CONTEXT = { plainConntrackNetInode: 4026531833 };
const GAP = 60_000;
const T0 = Date.UTC(2026, 10, 27, 11, 0, 0);
const FULL = 'nf_conntrack: nf_conntrack: table full in netns 4026532246, dropping packet';

function line(text: string, seq: number, at: number): MatchedLine {
  const match = matchKernelSignature(text, CONTEXT);
  if (!match) throw new Error(`no match: ${text}`);
  return { match, seq, at, line: text };
}

test('a storm of 10 000 lines within the quiet gap is one burst', () => {
  const lines = Array.from({ length: 10_000 }, (_, i) => line(FULL, 100 + i, T0 + i * 5));
  const { changed, open } = coalesceKernelEvents([], lines, GAP, T0 + 50_000);
  assert.equal(changed.length, 1);
  assert.deepEqual(
    { ...changed[0] },
    {
      storedId: null,
      signature: 'conntrack-table-full',
      key: 'net.netfilter.nf_conntrack_max',
      netInode: 4026532246,
      limiter: 'net',
      firstAt: T0,
      lastAt: T0 + 49_995,
      count: 10_000,
      suppressed: 0,
      sampleLine: FULL,
      firstSeq: 100,
      lastSeq: 10_099,
    },
  );
  assert.equal(open[0], changed[0], 'open and changed share the object, so ids can be mapped back');
});

test('a quiet gap longer than the setting starts a new burst; other namespaces and signatures are apart', () => {
  const other = FULL.replace('4026532246', '4026532300');
  const lines = [
    line(FULL, 1, T0),
    line(other, 2, T0 + 1),
    line('TCP: too many orphaned sockets', 3, T0 + 2),
    line(FULL, 4, T0 + 1_000 + GAP),
    line(FULL, 5, T0 + 1_001 + GAP),
  ];
  const { changed, open } = coalesceKernelEvents([], lines, GAP, T0 + 1_001 + GAP);
  assert.deepEqual(
    changed.map((b) => [b.signature, b.netInode, b.count, b.firstSeq, b.lastSeq]),
    [
      ['conntrack-table-full', 4026532246, 1, 1, 1],
      ['conntrack-table-full', 4026532300, 1, 2, 2],
      ['tcp-too-many-orphans', null, 1, 3, 3],
      ['conntrack-table-full', 4026532246, 2, 4, 5],
    ],
  );
  assert.deepEqual(
    open.map((b) => b.firstSeq),
    [4],
    'only the burst whose last line is within the gap of now stays open',
  );
});

test('lines joining an open stored burst update it (storedId kept)', () => {
  const stored: KernelEventBurst = {
    ...coalesceKernelEvents([], [line(FULL, 7, T0)], GAP, T0).changed[0]!,
    storedId: 42,
  };
  const { changed } = coalesceKernelEvents([stored], [line(FULL, 9, T0 + 30_000)], GAP, T0 + 30_000);
  assert.deepEqual(
    changed.map((b) => [b.storedId, b.count, b.firstAt, b.lastAt, b.firstSeq, b.lastSeq]),
    [[42, 2, T0, T0 + 30_000, 7, 9]],
  );
});

test('net_ratelimit suppressed callbacks are never credited to a burst: a host-wide burst of their own', () => {
  const lines = [
    line(FULL, 777, T0),
    line('VFS: file-max limit 10 reached', 778, T0 + 1),
    line('net_ratelimit: 126 callbacks suppressed', 788, T0 + 39_127),
    line(FULL, 789, T0 + 39_127),
  ];
  const { changed } = coalesceKernelEvents([], lines, GAP, T0 + 39_127);
  const conntrack = changed.find((b) => b.signature === 'conntrack-table-full');
  assert.deepEqual(
    [conntrack?.count, conntrack?.suppressed, conntrack?.lastAt, conntrack?.lastSeq],
    [2, 0, T0 + 39_127, 789],
    'two printed lines, nothing suppressed added',
  );
  assert.equal(changed.find((b) => b.signature === 'file-max-reached')?.count, 1);
  const limiter = changed.find((b) => b.signature === 'net-ratelimit-suppressed');
  assert.deepEqual(
    [limiter?.count, limiter?.suppressed, limiter?.netInode, limiter?.key],
    [1, 126, null, 'net.core.message_cost'],
  );
});

test('several net_ratelimit lines within the gap make one host-wide burst summing their N', () => {
  const lines = [
    line('net_ratelimit: 7 callbacks suppressed', 2, T0),
    line(FULL, 3, T0 + 1),
    line('net_ratelimit: 30 callbacks suppressed', 4, T0 + 5_001),
  ];
  const { changed } = coalesceKernelEvents([], lines, GAP, T0 + 5_001);
  const own = changed.find((b) => b.signature === 'net-ratelimit-suppressed');
  assert.deepEqual([own?.count, own?.suppressed], [2, 37]);
  assert.deepEqual(
    changed.filter((b) => b.signature === 'conntrack-table-full').map((b) => [b.count, b.suppressed]),
    [[1, 0]],
  );
});

test('the real capture: 10 + 10 printed conntrack lines in netns 4026532246, 126 suppressed host-wide', () => {
  const boot = 1_700_000_000_000;
  const lines = splitKmsgRecords(readFileSync(repoPath('test', 'fixtures', 'kmsg', 'boot-6.18.txt'), 'utf8'))
    .records.map(parseKmsgRecord)
    .flatMap((r) => {
      const match = r && r.facility === 0 ? matchKernelSignature(r.message, CONTEXT) : null;
      return r && match ? [{ match, seq: r.seq, at: kernelTimeToWall(r.tsUsec, boot), line: r.message }] : [];
    });
  // Quiet gap 30 s: the two floods (39 s apart) are two bursts; 60 s: one.
  for (const [gap, counts] of [
    [30_000, [10, 10]],
    [60_000, [20]],
  ] as const) {
    const { changed } = coalesceKernelEvents([], lines, gap, kernelTimeToWall(2_008_487_022, boot));
    const conntrack = changed.filter((b) => b.signature === 'conntrack-table-full');
    assert.deepEqual(
      conntrack.map((b) => [b.netInode, b.count, b.suppressed]),
      counts.map((n) => [4026532246, n, 0]),
    );
    const limiter = changed.filter((b) => b.signature === 'net-ratelimit-suppressed');
    assert.deepEqual(
      limiter.map((b) => [b.netInode, b.count, b.suppressed, b.firstSeq]),
      [[null, 1, 126, 788]],
    );
  }
});
