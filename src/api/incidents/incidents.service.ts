import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BadParameterError, NotFoundError } from '../../common/api-errors.js';
import { CLOCK, type Clock } from '../../common/clock.js';
import { DomainEvents } from '../../events/domain-events.bus.js';
import { IncidentWriter } from '../../storage/incident.writer.js';
import { WriteLock } from '../../storage/write-lock.js';
import { resolveNamespace } from '../params/namespace-resolver.js';
import { ownerNamesOf, ownerNamesSql } from '../queries/owner-names.js';
import { intParam, orderedWindow, timeParam } from '../params/request-params.js';
import type { CreateIncidentDto, IncidentListQuery } from './incident.dto.js';
import type { IncidentView } from './incident.views.js';

export interface IncidentRow {
  id: number;
  title: string;
  started_at: number;
  ended_at: number | null;
  namespace_id: number | null;
  symptoms: string;
  source: string;
  signature: string | null;
  created_at: number;
  identity: string | null;
  owners: string | null;
}

const SELECT = `SELECT i.*, n."identity",
    ${ownerNamesSql('i."namespace_id"')} AS "owners"
  FROM "incidents" i LEFT JOIN "namespaces" n ON n."id" = i."namespace_id"`;

/** Incidents opened by operators (and, through the same table, by kernel events). */
@Injectable()
export class IncidentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly lock: WriteLock,
    private readonly writer: IncidentWriter,
    private readonly events: DomainEvents,
  ) {}

  async create(body: CreateIncidentDto): Promise<IncidentView> {
    const now = this.clock.now();
    const startedAt = timeParam('startedAt', body.startedAt, now);
    if (startedAt === undefined) throw new BadParameterError('startedAt', 'required');
    const endedAt = timeParam('endedAt', body.endedAt, now) ?? null;
    if (endedAt !== null && endedAt < startedAt)
      throw new BadParameterError('endedAt', 'is before startedAt');
    const namespace = body.namespace ? await resolveNamespace(this.dataSource, body.namespace) : null;
    const opened = { type: 'incident.opened', source: 'api', key: null } as const;
    const id = await this.writer.open(
      {
        title: body.title,
        startedAt,
        endedAt,
        namespaceId: namespace?.id ?? null,
        symptoms: body.symptoms ?? [],
        source: 'api',
        signature: null,
        createdAt: now,
      },
      (em, incidentId) => this.events.write(em, { ...opened, incidentId }),
    );
    if (id !== null) await this.events.publish({ ...opened, incidentId: id });
    return this.get(id ?? 0);
  }

  async list(query: IncidentListQuery): Promise<{ items: IncidentView[] }> {
    const now = this.clock.now();
    const from = timeParam('from', query.from, now) ?? 0;
    const to = timeParam('to', query.to, now) ?? Number.MAX_SAFE_INTEGER;
    orderedWindow(from, to);
    const limit = intParam('limit', query.limit, 1, 1000) ?? 100;
    const rows: IncidentRow[] = await this.dataSource.query(
      `${SELECT} WHERE i."started_at" >= ? AND i."started_at" <= ? ORDER BY i."started_at" DESC, i."id" DESC LIMIT ?`,
      [from, to, limit],
    );
    return { items: rows.map(toIncidentView) };
  }

  async get(id: number): Promise<IncidentView> {
    return toIncidentView(await this.row(id));
  }

  async row(id: number): Promise<IncidentRow> {
    const rows: IncidentRow[] = await this.dataSource.query(`${SELECT} WHERE i."id" = ?`, [id]);
    const row = rows[0];
    if (!row) throw new NotFoundError(`incident ${id} does not exist`);
    return row;
  }

  async remove(id: number): Promise<void> {
    await this.row(id);
    await this.lock.exclusive(() => this.dataSource.query(`DELETE FROM "incidents" WHERE "id" = ?`, [id]));
  }
}

export function toIncidentView(row: IncidentRow): IncidentView {
  return {
    id: row.id,
    title: row.title,
    startedAt: new Date(row.started_at).toISOString(),
    endedAt: row.ended_at === null ? null : new Date(row.ended_at).toISOString(),
    namespace: row.identity,
    owners: ownerNamesOf(row.owners),
    symptoms: JSON.parse(row.symptoms) as string[],
    source: row.source,
    signature: row.signature,
    createdAt: new Date(row.created_at).toISOString(),
  };
}
