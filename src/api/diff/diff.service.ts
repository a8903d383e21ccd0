import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BadParameterError } from '../../common/api-errors.js';
import { CLOCK, type Clock } from '../../common/clock.js';
import { diffValueMaps } from '../../domain/history/diff-value-maps.js';
import { resolveNamespace } from '../params/namespace-resolver.js';
import { orderedWindow, timeParam } from '../params/request-params.js';
import type { DiffQuery } from './diff.query.js';
import type { DiffResult } from './diff.views.js';

interface IntervalRow {
  name: string;
  scope: string;
  value: string | null;
  valid_from: number;
  valid_to: number | null;
}

/**
 * Time-vs-time diff. Only keys whose intervals start or end inside (from, to] can differ, so the query
 * touches the changes of the window, not the whole state.
 */
@Injectable()
export class DiffService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async diffTimes(query: DiffQuery): Promise<DiffResult> {
    const now = this.clock.now();
    const from = timeParam('from', query.from, now);
    if (from === undefined)
      throw new BadParameterError('from', 'required (ISO-8601, epoch ms, or relative like -1h)');
    const to = timeParam('to', query.to, now) ?? now;
    orderedWindow(from, to);
    const namespace = await resolveNamespace(this.dataSource, query.namespace);
    const namespaceId = namespace.id;
    const rows: IntervalRow[] = await this.dataSource.query(
      `SELECT k."name", k."scope", v."value", v."valid_from", v."valid_to"
         FROM "setting_values" v JOIN "keys" k ON k."id" = v."key_id"
        WHERE v."namespace_id" = ?
          AND v."key_id" IN (
            SELECT "key_id" FROM "setting_values" WHERE "namespace_id" = ? AND "valid_from" > ? AND "valid_from" <= ?
            UNION
            SELECT "key_id" FROM "setting_values" WHERE "namespace_id" = ? AND "valid_to" > ? AND "valid_to" <= ?)
          AND v."valid_from" <= ? AND (v."valid_to" IS NULL OR v."valid_to" > ?)`,
      [namespaceId, namespaceId, from, to, namespaceId, from, to, to, from],
    );
    const before = new Map<string, string | null>();
    const after = new Map<string, string | null>();
    const scopes = new Map<string, string>();
    const changedAt = new Map<string, number>();
    for (const row of rows) {
      scopes.set(row.name, row.scope);
      if (row.valid_from <= from && (row.valid_to === null || row.valid_to > from))
        before.set(row.name, row.value);
      if (row.valid_from <= to && (row.valid_to === null || row.valid_to > to))
        after.set(row.name, row.value);
      for (const moment of [row.valid_from, row.valid_to]) {
        if (moment !== null && moment > from && moment <= to) {
          changedAt.set(row.name, Math.max(changedAt.get(row.name) ?? 0, moment));
        }
      }
    }
    const entries = diffValueMaps(before, after).map((d) => ({
      key: d.key,
      scope: scopes.get(d.key) ?? 'global',
      kind: d.kind,
      before: d.before ?? null,
      after: d.after ?? null,
      changedAt: new Date(changedAt.get(d.key) ?? to).toISOString(),
    }));
    return {
      namespace: namespace.identity,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      count: entries.length,
      entries,
    };
  }
}
