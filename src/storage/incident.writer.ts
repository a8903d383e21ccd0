import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { WriteLock } from './write-lock.js';
import { writeTransaction } from './write-transaction.js';

export interface NewIncident {
  readonly title: string;
  readonly startedAt: number;
  readonly endedAt: number | null;
  readonly namespaceId: number | null;
  readonly symptoms: readonly string[];
  /** `api`: POST /incidents; `kernel-event`: opened by a kernel-log burst (at most one open per signature and set). */
  readonly source: 'api' | 'kernel-event';
  readonly signature: string | null;
  readonly createdAt: number;
}

/** Opens incidents, each in its own write transaction. */
@Injectable()
export class IncidentWriter {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly lock: WriteLock,
  ) {}

  /**
   * Inserts the incident; `written` runs in the same transaction with its id, for the producer's durable
   * event. A kernel-event incident already open for the same signature and set is not opened twice (the
   * unique partial index): the answer is then null and `written` does not run.
   */
  open(
    incident: NewIncident,
    written?: (em: EntityManager, id: number) => Promise<void>,
  ): Promise<number | null> {
    const verb = incident.source === 'kernel-event' ? 'INSERT OR IGNORE' : 'INSERT';
    return writeTransaction(this.lock, this.dataSource, async (em) => {
      const rows: { id: number }[] = await em.query(
        `${verb} INTO "incidents" ("title", "started_at", "ended_at", "namespace_id", "symptoms", "source", "signature", "created_at")
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING "id"`,
        [
          incident.title,
          incident.startedAt,
          incident.endedAt,
          incident.namespaceId,
          JSON.stringify(incident.symptoms),
          incident.source,
          incident.signature,
          incident.createdAt,
        ],
      );
      const id = rows[0]?.id;
      if (id === undefined) return null;
      await written?.(em, id);
      return id;
    });
  }
}
