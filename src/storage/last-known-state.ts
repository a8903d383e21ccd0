import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { ValueState } from '../domain/history/diff-value-maps.js';
import { StringPool } from '../domain/history/string-pool.js';
import type { StoredSample } from '../domain/limits/select-samples-to-store.js';

/**
 * What the next snapshot compares with, as last committed: the open value of every setting per namespace
 * set, which sets were alive, and the last stored sample of every usage series. Loaded from the database
 * once, then kept in memory by the single writer. The states' keys and values are shared through one pool
 * (110 pods hold one copy of `net.ipv4.conf.eth0.forwarding`, not 110), and a state the snapshot did not
 * change is kept as it is.
 */
@Injectable()
export class LastKnownState {
  private readonly states = new Map<string, ValueState>();
  private readonly samples = new Map<string, Map<string, StoredSample>>();
  private readonly strings = new StringPool();
  private alive: Set<string> | null = null;
  private samplesLoaded = false;
  /** When each set's keys were last all read (`namespaces.last_read_at`): the rolling full reads' order. */
  private fullReads: Map<string, number> | null = null;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async stateOf(identity: string): Promise<ValueState> {
    const cached = this.states.get(identity);
    if (cached) return cached;
    const rows: { name: string; value: string | null }[] = await this.dataSource.query(
      `SELECT k."name" AS "name", v."value" AS "value"
       FROM "setting_values" v
       JOIN "namespaces" n ON n."id" = v."namespace_id"
       JOIN "keys" k ON k."id" = v."key_id"
       WHERE n."identity" = ? AND v."valid_to" IS NULL`,
      [identity],
    );
    const state = this.strings.shareState(new Map(rows.map((r) => [r.name, r.value])));
    this.states.set(identity, state);
    return state;
  }

  /** Identities the last committed snapshot saw. */
  async aliveIdentities(): Promise<ReadonlySet<string>> {
    if (this.alive) return this.alive;
    const rows: { identity: string }[] = await this.dataSource.query(
      `SELECT "identity" FROM "namespaces"
        WHERE "last_seen_at" = (SELECT max("taken_at") FROM "snapshots")
           OR "id" IN (SELECT DISTINCT "namespace_id" FROM "setting_values" WHERE "valid_to" IS NULL)`,
    );
    this.alive = new Set(rows.map((r) => r.identity));
    return this.alive;
  }

  /** When the set's keys were last all read (a complete full read), or null when never. */
  async lastFullReadOf(identity: string): Promise<number | null> {
    if (this.fullReads === null) {
      const rows: { identity: string; last_read_at: number }[] = await this.dataSource.query(
        `SELECT "identity", "last_read_at" FROM "namespaces" WHERE "last_read_at" IS NOT NULL`,
      );
      this.fullReads = new Map(rows.map((r) => [r.identity, r.last_read_at]));
    }
    return this.fullReads.get(identity) ?? null;
  }

  /**
   * Network namespaces (inodes) a kernel event named since the last committed snapshot (`last_at` after it; one
   * seek on ix_kernel_events_last_at): their sets' full reads are brought forward (choose-full-reads.ts).
   */
  async netnsNamedByKernelEvents(): Promise<ReadonlySet<number>> {
    const rows: { net_inode: number }[] = await this.dataSource.query(
      `SELECT DISTINCT "net_inode" FROM "kernel_events"
        WHERE "net_inode" IS NOT NULL AND "last_at" > (SELECT coalesce(max("taken_at"), 0) FROM "snapshots")`,
    );
    return new Set(rows.map((r) => r.net_inode));
  }

  async lastSamplesOf(identity: string): Promise<ReadonlyMap<string, StoredSample>> {
    if (!this.samplesLoaded) await this.loadSamples();
    return this.samples.get(identity) ?? new Map();
  }

  /**
   * Called after the snapshot that produced these has committed. `fullyRead`: the sets whose keys it all read
   * (their last full read moves to `takenAt`).
   */
  remember(
    alive: ReadonlySet<string>,
    states: ReadonlyMap<string, ValueState>,
    stored: ReadonlyMap<string, readonly { metric: string; usage: number; limit: number }[]>,
    takenAt: number,
    fullyRead: Iterable<string> = [],
  ): void {
    for (const identity of this.alive ?? []) {
      if (!alive.has(identity)) {
        this.states.delete(identity);
        this.samples.delete(identity);
        this.fullReads?.delete(identity);
      }
    }
    if (this.fullReads !== null) for (const identity of fullyRead) this.fullReads.set(identity, takenAt);
    this.alive = new Set(alive);
    for (const [identity, state] of states) {
      if (this.states.get(identity) !== state) this.states.set(identity, this.strings.shareState(state));
    }
    this.strings.trim(this.states.values());
    for (const [identity, samples] of stored) {
      const series = this.samples.get(identity) ?? new Map<string, StoredSample>();
      for (const s of samples) series.set(s.metric, { usage: s.usage, limit: s.limit, takenAt });
      this.samples.set(identity, series);
    }
  }

  private async loadSamples(): Promise<void> {
    const rows: { identity: string; metric: string; usage: number; limit_value: number; taken_at: number }[] =
      await this.dataSource.query(
        `SELECT n."identity", s."metric", s."usage", s."limit_value", s."taken_at"
           FROM "usage_samples" s JOIN "namespaces" n ON n."id" = s."namespace_id"
          WHERE s."id" IN (SELECT max("id") FROM "usage_samples" GROUP BY "namespace_id", "metric")`,
      );
    for (const row of rows) {
      const series = this.samples.get(row.identity) ?? new Map<string, StoredSample>();
      series.set(row.metric, { usage: row.usage, limit: row.limit_value, takenAt: row.taken_at });
      this.samples.set(row.identity, series);
    }
    this.samplesLoaded = true;
  }
}
