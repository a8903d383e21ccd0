import { Inject, Injectable } from '@nestjs/common';
import { BadParameterError, NotFoundError } from '../../common/api-errors.js';
import { CLOCK, type Clock } from '../../common/clock.js';
import { DomainEvents } from '../../events/domain-events.bus.js';
import { IncidentWriter } from '../../storage/incident.writer.js';
import { ownerNamesOf } from '../../storage/owner-names.js';
import { type IncidentRow, IncidentsRepository } from '../../storage/repositories/incidents.repository.js';
import { NamespaceResolver } from '../params/namespace-resolver.js';
import { orderedWindow, timeParam } from '../params/request-params.js';
import type { CreateIncidentDto, IncidentListQuery } from './incident.dto.js';
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
    namespace: row.identity,
    owners: ownerNamesOf(row.owners),
    symptoms: JSON.parse(row.symptoms) as string[],
    source: row.source,
    signature: row.signature,
    createdAt: new Date(row.created_at).toISOString(),
  };
}
