import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '../../common/clock.js';
import { KmsgService } from '../../kmsg/kmsg.service.js';
import type { StoredKernelEvent } from '../../storage/kernel-event.writer.js';
import { WriteLock } from '../../storage/write-lock.js';

/** Kernel messages that mean something already failed: each opens an incident by itself. */
export const AUTO_INCIDENT_SIGNATURES: ReadonlySet<string> = new Set([
  'conntrack-table-full',
  'conntrack-expectation-table-full',
  'neighbour-table-overflow',
  'tcp-out-of-memory',
  'tcp-too-many-orphans',
  'file-max-reached',
  'pids-fork-rejected',
]);

/**
 * Opens an incident when a new burst of a failure signature is stored, at most one open per signature and
 * namespace set (a unique partial index enforces it; a duplicate is ignored). Deleting the incident closes it.
 */
@Injectable()
export class AutoIncidentOpener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AutoIncidentOpener.name);
  private unsubscribe: (() => void) | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly lock: WriteLock,
    private readonly kmsg: KmsgService,
  ) {}

  onApplicationBootstrap(): void {
    this.unsubscribe = this.kmsg.onEvents(async (events) => {
      await this.open(events);
    });
  }

  onApplicationShutdown(): void {
    this.unsubscribe?.();
  }

  async open(events: readonly StoredKernelEvent[]): Promise<number[]> {
    const opened: number[] = [];
    for (const event of events) {
      if (!event.created || !AUTO_INCIDENT_SIGNATURES.has(event.signature)) continue;
      const rows: { id: number }[] = await this.lock.exclusive(() =>
        this.dataSource.query(
          `INSERT OR IGNORE INTO "incidents" ("title", "started_at", "namespace_id", "symptoms", "source", "signature", "created_at")
           VALUES (?, ?, ?, ?, 'kernel-event', ?, ?) RETURNING "id"`,
          [
            `kernel: ${event.signature}`,
            event.firstAt,
            event.namespaceId,
            JSON.stringify([event.sampleLine]),
            event.signature,
            this.clock.now(),
          ],
        ),
      );
      const id = rows[0]?.id;
      if (id !== undefined) {
        opened.push(id);
        this.logger.warn(`incident ${id} opened by the kernel: ${event.sampleLine}`);
      }
    }
    return opened;
  }
}
