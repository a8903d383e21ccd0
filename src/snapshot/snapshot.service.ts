import { Inject, Injectable, Logger } from '@nestjs/common';
import { runCollectors, type TargetCollection } from '../collectors/collector-runner.js';
import type { CollectionTarget, Collector } from '../collectors/collector.js';
import { classifyKey } from '../domain/classification/classify-key.js';
import { isVolatileKey } from '../domain/classification/volatile-keys.js';
import { planTargetChanges } from '../domain/history/plan-target-changes.js';
import { deriveUsageSamples } from '../domain/limits/usage-pairs.js';
import { readNamespaceInodes } from '../os/namespace-inodes.reader.js';
import { KeyCatalog } from '../storage/key-catalog.js';
import { LastKnownState } from '../storage/last-known-state.js';
import { type NewKey, SnapshotWriter, type TargetRecord } from '../storage/snapshot.writer.js';
import { CLOCK, type Clock } from '../common/clock.js';
import { COLLECTORS, SNAPSHOT_SETTINGS, type SnapshotSettings } from './snapshot.tokens.js';

export type SnapshotTrigger = 'startup' | 'schedule' | 'api';

export interface SnapshotSummary {
  readonly id: number;
  readonly takenAt: number;
  readonly durationMs: number;
  readonly keysRead: number;
  readonly changeCount: number;
  readonly errors: readonly unknown[];
}

/** One pass of the pipeline: read → classify → compare with last → persist in one transaction. */
@Injectable()
export class SnapshotService {
  private readonly logger = new Logger(SnapshotService.name);
  private queue: Promise<unknown> = Promise.resolve();
  private running = false;
  private skipped = 0;
  private last: SnapshotSummary | null = null;

  constructor(
    @Inject(COLLECTORS) private readonly collectors: readonly Collector[],
    @Inject(SNAPSHOT_SETTINGS) private readonly settings: SnapshotSettings,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly catalog: KeyCatalog,
    private readonly state: LastKnownState,
    private readonly writer: SnapshotWriter,
  ) {}

  get skippedTicks(): number {
    return this.skipped;
  }

  get isRunning(): boolean {
    return this.running;
  }

  get lastSnapshot(): SnapshotSummary | null {
    return this.last;
  }

  /** Takes a snapshot after any one in progress: snapshots never overlap. */
  runOnce(trigger: SnapshotTrigger): Promise<SnapshotSummary> {
    const next = this.queue.then(() => this.take(trigger));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** A scheduled tick: skipped (and counted) while a snapshot is in progress. */
  async tick(): Promise<void> {
    if (this.running) {
      this.skipped += 1;
      this.logger.warn(`snapshot still running; tick skipped (${this.skipped} so far)`);
      return;
    }
    try {
      await this.runOnce('schedule');
    } catch (error) {
      this.logger.error(
        `scheduled snapshot failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  private async take(trigger: SnapshotTrigger): Promise<SnapshotSummary> {
    this.running = true;
    try {
      const started = performance.now();
      const takenAt = this.clock.now();
      await this.catalog.load();
      const target = this.hostTarget();
      const collection = await runCollectors(this.collectors, target);
      const record = await this.targetRecord(collection);
      const newKeys = this.newKeys(collection);
      const written = await this.writer.write({
        takenAt,
        trigger,
        keysRead: collection.readings.length,
        errors: collection.errors,
        newKeys,
        targets: [record.target],
        durationMs: () => performance.now() - started,
      });
      this.state.remember(target.identity, record.nextState);
      const summary: SnapshotSummary = {
        id: written.id,
        takenAt,
        durationMs: written.durationMs,
        keysRead: collection.readings.length,
        changeCount: written.changeCount,
        errors: collection.errors,
      };
      this.last = summary;
      this.logger.log(
        `snapshot ${summary.id}: ${summary.keysRead} keys, ${summary.changeCount} changes, ${summary.durationMs} ms`,
      );
      return summary;
    } finally {
      this.running = false;
    }
  }

  private hostTarget(): CollectionTarget {
    return { identity: 'host', kind: 'host', procRoot: this.settings.procRoot };
  }

  private async targetRecord(collection: TargetCollection) {
    const previous = await this.state.stateOf(collection.target.identity);
    const plan = planTargetChanges(previous, collection.readings, isVolatileKey, collection.complete);
    const values = new Map<string, string>();
    for (const r of collection.readings) if (r.value !== null) values.set(r.key, r.value);
    const target: TargetRecord = {
      identity: collection.target.identity,
      kind: collection.target.kind,
      inodes: readNamespaceInodes(this.settings.procRoot, 1),
      changes: plan.changes,
      volatileValues: plan.volatileValues,
      samples: [...deriveUsageSamples(values), ...collection.samples],
    };
    return { target, nextState: plan.nextState };
  }

  private newKeys(collection: TargetCollection): NewKey[] {
    return collection.readings
      .filter((r) => !this.catalog.has(r.key))
      .map((r) => ({ name: r.key, classification: classifyKey(r.key), access: r.access }));
  }
}
