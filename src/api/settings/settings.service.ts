import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NotFoundError } from '../../common/api-errors.js';
import { CLOCK, type Clock } from '../../common/clock.js';
import { SCOPES } from '../../domain/sysctl/sysctl-types.js';
import { resolveNamespace } from '../params/namespace-resolver.js';
import {
  enumParam,
  keyParam,
  likeLiteral,
  orderedWindow,
  textParam,
  timeParam,
} from '../params/request-params.js';
import type { SettingHistoryQuery, SettingsListQuery } from './settings.queries.js';
import { valuesPerNamespace } from './values-per-namespace.js';
import type { SettingDetail, SettingHistory, SettingsPage, SettingView } from './setting.views.js';

interface SettingRow {
  id: number;
  name: string;
  scope: string;
  volatile: number;
  child_visibility: string | null;
  classification_source: string;
  access: string;
  evidence: string | null;
  first_seen_at: number;
  value: string | null;
  valid_from: number | null;
  volatile_value: string | null;
  read_at: number | null;
}

const SETTING_SELECT = `
  SELECT k."id", k."name", k."scope", k."volatile", k."child_visibility", k."classification_source", k."access",
         k."evidence", k."first_seen_at", v."value", v."valid_from", vv."value" AS "volatile_value", vv."read_at"
    FROM "keys" k
    LEFT JOIN "setting_values" v
      ON v."key_id" = k."id" AND v."namespace_id" = ? AND v."valid_from" <= ? AND (v."valid_to" IS NULL OR v."valid_to" > ?)
    LEFT JOIN "volatile_values" vv ON vv."key_id" = k."id" AND vv."namespace_id" = ?`;

/** The key catalog with values at an instant, and one key's value history; database reads only. */
@Injectable()
export class SettingsQueryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(query: SettingsListQuery): Promise<SettingsPage> {
    const now = this.clock.now();
    const at = timeParam('at', query.at, now) ?? now;
    const prefix = textParam('prefix', query.prefix, 256);
    const q = textParam('q', query.q, 256);
    const scope = enumParam('scope', query.scope, SCOPES);
    const namespace = await resolveNamespace(this.dataSource, query.namespace);
    const namespaceId = namespace.id;
    const where: string[] = [];
    const params: unknown[] = [namespaceId, at, at, namespaceId];
    const filter = (clause: string, value: unknown): void => {
      where.push(clause);
      params.push(value);
    };
    if (prefix) filter(`k."name" LIKE ? ESCAPE '\\'`, `${likeLiteral(prefix)}%`);
    if (q) filter(`k."name" LIKE ? ESCAPE '\\'`, `%${likeLiteral(q)}%`);
    if (scope) filter(`k."scope" = ?`, scope);
    const rows: SettingRow[] = await this.dataSource.query(
      `${SETTING_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY k."name"`,
      params,
    );
    const items = rows.map((row) => toView(row, at)).filter((item) => item.present);
    return { at: new Date(at).toISOString(), namespace: namespace.identity, count: items.length, items };
  }

  async get(rawKey: string): Promise<SettingDetail> {
    const key = keyParam(rawKey);
    const now = this.clock.now();
    const namespaceId = (await resolveNamespace(this.dataSource, 'host')).id;
    const rows: SettingRow[] = await this.dataSource.query(`${SETTING_SELECT} WHERE k."name" = ?`, [
      namespaceId,
      now,
      now,
      namespaceId,
      key,
    ]);
    const row = rows[0];
    if (!row) throw new NotFoundError(`key '${key}' has never been seen`);
    return {
      ...toView(row, now),
      firstSeenAt: new Date(row.first_seen_at).toISOString(),
      evidence: row.evidence === null ? null : (JSON.parse(row.evidence) as unknown),
      namespaces: await valuesPerNamespace(this.dataSource, row.id, now),
    };
  }

  async history(rawKey: string, query: SettingHistoryQuery): Promise<SettingHistory> {
    const key = keyParam(rawKey);
    const now = this.clock.now();
    const from = timeParam('from', query.from, now) ?? 0;
    const to = timeParam('to', query.to, now) ?? now;
    orderedWindow(from, to);
    const keys: { id: number; volatile: number }[] = await this.dataSource.query(
      `SELECT "id", "volatile" FROM "keys" WHERE "name" = ?`,
      [key],
    );
    const keyRow = keys[0];
    if (!keyRow) throw new NotFoundError(`key '${key}' has never been seen`);
    const namespace = await resolveNamespace(this.dataSource, query.namespace);
    const namespaceId = namespace.id;
    const rows: { value: string | null; valid_from: number; valid_to: number | null }[] =
      await this.dataSource.query(
        `SELECT "value", "valid_from", "valid_to" FROM "setting_values"
        WHERE "namespace_id" = ? AND "key_id" = ? AND "valid_from" <= ? AND ("valid_to" IS NULL OR "valid_to" > ?)
        ORDER BY "valid_from"`,
        [namespaceId, keyRow.id, to, from],
      );
    return {
      key,
      namespace: namespace.identity,
      volatile: keyRow.volatile === 1,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      intervals: rows.map((r) => ({
        value: r.value,
        from: new Date(r.valid_from).toISOString(),
        to: r.valid_to === null ? null : new Date(r.valid_to).toISOString(),
      })),
    };
  }
}

function toView(row: SettingRow, at: number): SettingView {
  const isVolatile = row.volatile === 1;
  const hasVolatileReading = isVolatile && row.read_at !== null && row.first_seen_at <= at;
  const present =
    row.valid_from !== null || hasVolatileReading || (row.access === 'write-only' && row.first_seen_at <= at);
  const since = isVolatile ? row.read_at : row.valid_from;
  return {
    key: row.name,
    scope: row.scope,
    volatile: isVolatile,
    childVisibility: row.child_visibility,
    classificationSource: row.classification_source,
    access: row.access,
    present,
    value: isVolatile ? row.volatile_value : row.value,
    since: since === null ? null : new Date(since).toISOString(),
  };
}
