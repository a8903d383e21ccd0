import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { CLOCK, type Clock } from '../../common/clock.js';
import { DomainEvents } from '../../events/domain-events.bus.js';
import { IncidentWriter } from '../../storage/incident.writer.js';
import type { StoredKernelEvent } from '../../domain/kernel-events/stored-kernel-event.js';

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
 * Opens an incident when a new burst of a failure signature is stored (it hears `kernel-events.stored` after
 * commit), at most one open per signature and namespace set (a unique partial index enforces it; a duplicate
 * is ignored), and publishes `incident.opened` for each one it opens. Deleting the incident closes it.
 */
@Injectable()
export class AutoIncidentOpener implements OnApplicationShutdown {
  private readonly logger = new Logger(AutoIncidentOpener.name);
  private readonly unsubscribe: () => void;

  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly writer: IncidentWriter,
    private readonly events: DomainEvents,
  ) {
    this.unsubscribe = events.onCommit('kernel-events.stored', AutoIncidentOpener.name, async (event) => {
      await this.open(event.events);
    });
  }

  onApplicationShutdown(): void {
    this.unsubscribe();
  }

  async open(events: readonly StoredKernelEvent[]): Promise<number[]> {
    const opened: number[] = [];
    for (const event of events) {
      if (!event.created || !AUTO_INCIDENT_SIGNATURES.has(event.signature)) continue;
      const published = { type: 'incident.opened', source: 'kernel-event', key: event.key } as const;
      const id = await this.writer.open(
        {
          title: `kernel: ${event.signature}`,
          startedAt: event.firstAt,
          endedAt: null,
          namespaceId: event.namespaceId,
          symptoms: [event.sampleLine],
          source: 'kernel-event',
          signature: event.signature,
          createdAt: this.clock.now(),
        },
        (em, incidentId) => this.events.write(em, { ...published, incidentId }),
      );
      if (id !== null) {
        opened.push(id);
        this.logger.warn(`incident ${id} opened by the kernel: ${event.sampleLine}`);
        await this.events.publish({ ...published, incidentId: id });
      }
    }
    return opened;
  }
}
