import 'reflect-metadata';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DiffQuery } from '../../../src/api/diff/diff.query.js';
import { IncidentReportQuery } from '../../../src/api/incidents/incident.dto.js';
import { KernelEventsQuery } from '../../../src/api/kernel-events/kernel-events.query.js';
import { keyPageOf } from '../../../src/api/params/key-page.query.js';
import { parseQuery } from '../../../src/api/params/query-params.js';
import { BadParameterError } from '../../../src/common/api-errors.js';

const rejects = (run: () => unknown, message: RegExp): void =>
  assert.throws(run, (error: unknown) => error instanceof BadParameterError && message.test(error.message));

test('query strings become typed values: times in epoch ms, whole numbers, a page with its defaults', () => {
  const diff = parseQuery(DiffQuery, { from: '2026-11-29T14:03:00Z', to: '1764425000000', limit: '50' });
  assert.equal(diff.from, Date.parse('2026-11-29T14:03:00Z'));
  assert.equal(diff.to, 1764425000000);
  assert.deepEqual(keyPageOf(diff), { limit: 50, cursor: '' });
  assert.deepEqual(keyPageOf(parseQuery(DiffQuery, { limit: '', cursor: 'net.core.somaxconn' })), {
    limit: 200,
    cursor: 'net.core.somaxconn',
  });
  const before = Date.now();
  const relative = parseQuery(KernelEventsQuery, { from: '-15m', signature: 'conntrack-table-full' });
  assert.ok(Math.abs((relative.from ?? 0) - (before - 15 * 60_000)) < 5_000);
  assert.equal(parseQuery(IncidentReportQuery, { lookback: '2h' }).lookback, 7_200_000);
});

test('bad values are 400s naming the parameter, with the messages the services used to give', () => {
  rejects(() => parseQuery(DiffQuery, { from: 'yesterday' }), /^from: 'yesterday' is not a time/);
  rejects(
    () => parseQuery(DiffQuery, { limit: '1e3' }),
    /^limit: '1e3' is not a whole number from 1 to 1000$/,
  );
  rejects(() => parseQuery(DiffQuery, { cursor: '../etc' }), /^cursor: '..\/etc' is not a nextCursor/);
  rejects(() => parseQuery(KernelEventsQuery, { signature: 'oops' }), /^signature: 'oops' is not one of /);
  rejects(() => parseQuery(DiffQuery, { namespace: 'x'.repeat(257) }), /^namespace: at most 256 characters$/);
  rejects(
    () => parseQuery(IncidentReportQuery, { lookback: '2y' }),
    /^lookback: '2y' is not a duration like 30m, 1h or 7d \(at most 90d\)$/,
  );
});
