import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { CLOCK, type Clock } from '../common/clock.js';
import {
  coalesceKernelEvents,
  type KernelEventBurst,
  type MatchedLine,
} from '../domain/kernel-events/coalesce-kernel-events.js';
import { DomainEvents } from '../events/domain-events.bus.js';
import type { StoredKernelEvent } from '../domain/kernel-events/stored-kernel-event.js';
import { KernelEventWriter } from '../storage/kernel-event.writer.js';
import { openKmsgSession } from './open-kmsg-session.js';
import type { KmsgSession } from './kmsg-session.js';
import { KMSG_SETTINGS, type KmsgSettings, type KmsgStatus } from './kmsg.tokens.js';

/**
 * Follows /dev/kmsg: each poll drains what is new (never waiting), matches kernel-facility records against
 * the known signatures, coalesces them into bursts and commits bursts and cursor in one transaction, publishing
 * `kernel-events.stored` on the event seam (durable consumers in that transaction, in-memory ones after it). Without permission to read the device it logs once and keeps
 * trying quietly on every poll; status() says why.
 */
@Injectable()
export class KmsgService implements OnApplicationShutdown {
  private readonly logger = new Logger(KmsgService.name);
  private session: KmsgSession | null = null;
  private open: readonly KernelEventBurst[] = [];
  private pending: MatchedLine[] = [];
  private pendingSeq: number | null = null;
  private running = false;
  private problem: string | null = null;
  private lastSeq: number | null = null;
  private closed = false;

  constructor(
    @Inject(KMSG_SETTINGS) private readonly settings: KmsgSettings,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly writer: KernelEventWriter,
    private readonly events: DomainEvents,
  ) {}

  status(): KmsgStatus {
    const message = this.problem ?? (this.session ? null : `${this.settings.path} not opened yet`);
    return { readable: message === null, message, lastSeq: this.lastSeq };
  }

  /** One poll; skipped (resolves to []) while another is still running. Never throws. */
  async pollOnce(): Promise<readonly StoredKernelEvent[]> {
    if (this.running || this.closed) return [];
    this.running = true;
    try {
      const session = this.session ?? (await this.start());
      if (!session) return [];
      const stored = await this.drain(session);
      this.problem = null;
      return stored;
    } catch (error) {
      this.report(`kernel log poll failed: ${messageOf(error)}`);
      return [];
    } finally {
      this.running = false;
    }
  }

  onApplicationShutdown(): void {
    this.close();
  }

  close(): void {
    this.closed = true;
    this.session?.close();
    this.session = null;
  }

  private async start(): Promise<KmsgSession | null> {
    const opened = await openKmsgSession(this.settings, this.clock.now(), () => this.writer.loadCursor());
    if ('error' in opened) {
      this.report(`cannot read ${this.settings.path}: ${opened.error}; kernel events are not recorded`);
      return null;
    }
    const { session, start } = opened;
    const since = this.clock.now() - this.settings.quietGapMs;
    this.open = start.mode === 'end' ? [] : await this.writer.loadOpenBursts(session.boot.bootId, since);
    this.session = session;
    if (start.mode === 'after') this.lastSeq = start.seq;
    this.logger.log(
      `following ${this.settings.path} (boot ${session.boot.bootId}, start: ${describe(start)})`,
    );
    return session;
  }

  private async drain(session: KmsgSession): Promise<readonly StoredKernelEvent[]> {
    const batch = session.read(this.settings.maxReadsPerPoll);
    if (batch.lost > 0 || batch.overwritten > 0) {
      this.logger.warn(`${batch.lost} kernel log records were overwritten before they could be read`);
    }
    this.pending.push(...batch.lines);
    if (batch.lastSeq !== null) this.pendingSeq = batch.lastSeq;
    if (this.pendingSeq === null) return [];
    const now = this.clock.now();
    const { changed, open } = coalesceKernelEvents(this.open, this.pending, this.settings.quietGapMs, now);
    const { stored, ids } = await this.writer.write(
      session.boot.bootId,
      changed,
      this.pendingSeq,
      now,
      (em, rows) => this.events.write(em, { type: 'kernel-events.stored', events: rows }),
    );
    this.open = open.map((b) => (b.storedId === null ? { ...b, storedId: ids.get(b) ?? null } : b));
    this.lastSeq = this.pendingSeq;
    this.pending = [];
    this.pendingSeq = null;
    // In-memory consumers are awaited in turn, so a slow one delays the next poll (never a snapshot).
    if (stored.length > 0) await this.events.publish({ type: 'kernel-events.stored', events: stored });
    return stored;
  }

  /** Logs a problem once (until it clears), and keeps it for status(). */
  private report(message: string): void {
    if (this.problem !== message) this.logger.warn(message);
    this.problem = message;
  }
}

function describe(start: { mode: string; seq?: number }): string {
  return start.mode === 'after' ? `after sequence ${start.seq}` : `${start.mode} of the ring buffer`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
