import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { CLOCK, type Clock } from '../common/clock.js';
import { backoffDelay } from '../domain/webhooks/backoff-delay.js';
import { signPayload } from '../domain/webhooks/sign-payload.js';
import { DomainEvents } from '../events/domain-events.bus.js';
import { WriteLock } from '../storage/write-lock.js';
import { DeliveriesRepository, type DeliveryJob } from '../storage/deliveries.repository.js';
import { HttpWebhookSender } from './http-webhook.sender.js';
import { WEBHOOK_SETTINGS, type WebhookSettings } from './webhook-settings.js';

/** Rows taken per scan; the scan repeats as attempts finish. */
const SCAN_LIMIT = 200;

/**
 * Delivers pending outbox rows, never inside another transaction: at start (rows left by a previous run),
 * when kicked after a commit, and on a timer (retries falling due). Each subscription has its own queue,
 * worked one delivery at a time, so a slow or dead receiver delays only itself.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WebhookDispatcher.name);
  private readonly inFlight = new Set<number>();
  private readonly queues = new Map<number, Promise<void>>();
  private readonly stop = new AbortController();
  private scanning = false;
  private rescan = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly deliveries: DeliveriesRepository,
    private readonly sender: HttpWebhookSender,
    @Inject(WEBHOOK_SETTINGS) private readonly settings: WebhookSettings,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly lock: WriteLock,
    private readonly events: DomainEvents,
  ) {}

  onApplicationBootstrap(): void {
    this.kick();
  }

  /** Stops taking work and aborts attempts in flight: they stay pending and resume at the next start. */
  async onApplicationShutdown(): Promise<void> {
    this.stop.abort();
    if (this.timer) clearTimeout(this.timer);
    await Promise.allSettled([...this.queues.values()]);
  }

  /** Looks for due deliveries now (coalesced with a scan in progress). */
  kick(): void {
    if (this.stop.signal.aborted || !this.settings.dispatch) return;
    if (this.scanning) {
      this.rescan = true;
      return;
    }
    this.scanning = true;
    this.scan()
      .catch((error: unknown) => this.logger.error(`webhook scan failed: ${messageOf(error)}`))
      .finally(() => {
        this.scanning = false;
        if (this.rescan) {
          this.rescan = false;
          this.kick();
        }
      });
  }

  /**
   * Kicks once the write transaction the caller is in has ended (called inside it, by the outbox): the
   * write lock runs work in arrival order, so an empty turn queued now runs right after that commit.
   */
  kickAfterCurrentWrite(): void {
    void this.lock.exclusive(() => Promise.resolve()).then(() => this.kick());
  }

  /** Resolves when nothing is in flight (tests). */
  async idle(): Promise<void> {
    while (this.scanning || this.queues.size > 0) {
      await Promise.allSettled([...this.queues.values()]);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private async scan(): Promise<void> {
    const now = this.clock.now();
    const due = await this.deliveries.due(now, SCAN_LIMIT + this.inFlight.size);
    for (const { rowId, webhookId } of due) {
      if (this.inFlight.has(rowId)) continue;
      this.inFlight.add(rowId);
      this.enqueue(webhookId, rowId);
    }
    this.schedule(await this.deliveries.nextDueAfter(now), now);
  }

  private enqueue(webhookId: number, rowId: number): void {
    const previous = this.queues.get(webhookId) ?? Promise.resolve();
    const next = previous
      .then(() => this.attempt(rowId))
      .catch((error: unknown) => this.logger.error(`webhook delivery ${rowId} failed: ${messageOf(error)}`))
      .finally(() => {
        this.inFlight.delete(rowId);
        if (this.queues.get(webhookId) === next) this.queues.delete(webhookId);
        this.kick();
      });
    this.queues.set(webhookId, next);
  }

  private schedule(nextDue: number | null, now: number): void {
    if (this.stop.signal.aborted) return;
    if (this.timer) clearTimeout(this.timer);
    const wait = nextDue === null ? this.settings.pollIntervalMs : Math.max(nextDue - now, 5);
    this.timer = setTimeout(() => this.kick(), Math.min(wait, this.settings.pollIntervalMs));
    this.timer.unref();
  }

  private async attempt(rowId: number): Promise<void> {
    if (this.stop.signal.aborted) return;
    const job = await this.deliveries.job(rowId);
    if (!job) return;
    const at = this.clock.now();
    const outcome = await this.sender.send(
      { url: job.url, body: job.body, headers: signedHeaders(job, Math.floor(at / 1000)) },
      this.settings.timeoutMs,
      this.stop.signal,
    );
    if (outcome.aborted) return;
    const attempts = job.attempts + 1;
    const status = outcome.ok ? 'delivered' : attempts >= this.settings.maxAttempts ? 'failed' : 'pending';
    const nextAttemptAt =
      status === 'pending'
        ? this.clock.now() + backoffDelay(attempts, this.settings.backoffBaseMs, Math.random())
        : at;
    await this.deliveries.recordAttempt(rowId, {
      attempt: { at, statusCode: outcome.statusCode, error: outcome.error, durationMs: outcome.durationMs },
      status,
      nextAttemptAt,
    });
    await this.events.publish({ type: 'webhook.attempted', status });
    if (status === 'failed') {
      this.logger.warn(
        `webhook ${job.webhookId} delivery ${job.deliveryId} failed after ${attempts} attempts: ${outcome.error}`,
      );
    }
  }
}

function signedHeaders(job: DeliveryJob, timestamp: number): Record<string, string> {
  return {
    'x-kernel-ledger-event': job.eventType,
    'x-kernel-ledger-delivery': job.deliveryId,
    'x-kernel-ledger-timestamp': String(timestamp),
    'x-kernel-ledger-signature': signPayload(job.secret, timestamp, job.body),
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
