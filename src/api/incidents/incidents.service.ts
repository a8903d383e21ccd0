import { ConflictException, Inject, Injectable } from '@nestjs/common';
import { BadParameterError, NotFoundError } from '../../common/api-errors.js';
import { CLOCK, type Clock } from '../../common/clock.js';
import { DomainEvents } from '../../events/domain-events.bus.js';
import { IncidentWriter } from '../../storage/incident.writer.js';
import { ownerNamesOf } from '../../storage/owner-names.js';
import { type IncidentRow, IncidentsRepository } from '../../storage/repositories/incidents.repository.js';
import { NamespaceResolver } from '../params/namespace-resolver.js';
import { orderedWindow, timeParam } from '../params/request-params.js';
import type { CreateIncidentDto, IncidentListQuery, UpdateIncidentDto } from './incident.dto.js';
import type { IncidentView } from './incident.views.js';

/** Incidents opened by operators (and, through the same table, by kernel events). */
@Injectable()
export class IncidentsService {
  constructor(
    private readonly repository: IncidentsRepository,
    private readonly resolver: NamespaceResolver,
    @Inject(CLOCK) private readonly clock: Clock,
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
    const namespace = body.namespace ? await this.resolver.resolve(body.namespace) : null;
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
    const from = query.from ?? 0;
    const to = query.to ?? Number.MAX_SAFE_INTEGER;
    orderedWindow(from, to);
    const rows = await this.repository.list(from, to, query.limit ?? 100);
    return { items: rows.map(toIncidentView) };
  }

  async get(id: number): Promise<IncidentView> {
    return toIncidentView(await this.row(id));
  }

  async row(id: number): Promise<IncidentRow> {
    const row = await this.repository.row(id);
    if (!row) throw new NotFoundError(`incident ${id} does not exist`);
    return row;
  }

  /**
   * PATCH: a new title, end or status. `resolved` without an end ends it now; `open` clears the end, so an
   * end together with `open` is a contradiction (400), an end before the start a conflict with the stored
   * incident (409).
   */
  async update(id: number, body: UpdateIncidentDto): Promise<IncidentView> {
    if (body.title === undefined && body.endedAt === undefined && body.status === undefined)
      throw new BadParameterError('body', 'give at least one of title, endedAt, status');
    if (body.status === 'open' && body.endedAt !== undefined)
      throw new BadParameterError('status', "'open' clears endedAt: send one or the other");
    const now = this.clock.now();
    const given = timeParam('endedAt', body.endedAt, now);
    const row = await this.row(id);
    let endedAt = row.ended_at;
    if (given !== undefined) endedAt = given;
    else if (body.status === 'resolved') endedAt = row.ended_at ?? Math.max(now, row.started_at);
    else if (body.status === 'open') endedAt = null;
    if (endedAt !== null && endedAt < row.started_at) {
      throw new ConflictException(
        `endedAt (${new Date(endedAt).toISOString()}) is before the incident's startedAt (${new Date(row.started_at).toISOString()})`,
      );
    }
    const updated = await this.repository.update(id, { title: body.title ?? row.title, endedAt });
    if (!updated) {
      throw new ConflictException(
        `another incident opened by the same kernel event for the same namespace set is still open`,
      );
    }
    return this.get(id);
  }

  async remove(id: number): Promise<void> {
    await this.row(id);
    await this.repository.remove(id);
  }
}

export function toIncidentView(row: IncidentRow): IncidentView {
  return {
    id: row.id,
    title: row.title,
    startedAt: new Date(row.started_at).toISOString(),
    endedAt: row.ended_at === null ? null : new Date(row.ended_at).toISOString(),
    status: row.ended_at === null ? 'open' : 'resolved',
    namespace: row.identity,
    owners: ownerNamesOf(row.owners),
    symptoms: JSON.parse(row.symptoms) as string[],
    source: row.source,
    signature: row.signature,
    createdAt: new Date(row.created_at).toISOString(),
  };
}
