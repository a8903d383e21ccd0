import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { rebootBetween } from '../domain/history/reboot-between.js';
import type { ConfigDrift } from '../domain/sysctl-conf/find-config-drift.js';
import { planConfiguredChanges } from '../domain/sysctl-conf/plan-configured-changes.js';
import {
  type DriftTransition,
  planDriftChanges,
  type StoredDrift,
} from '../domain/sysctl-conf/plan-drift-changes.js';
import type { ConfiguredValue } from '../domain/sysctl-conf/sysctl-conf-types.js';
import type { DriftTransitions } from '../domain/webhooks/derive-drift-events.js';
import { chunked } from './chunked.js';

/** What one snapshot found of the boot configuration: every configured key and the drift from runtime. */
export interface BootConfigReading {
  /** Every key the boot configuration sets (known to this kernel or not), with its line. */
  readonly configured: ReadonlyMap<string, ConfiguredValue>;
  readonly drift: readonly ConfigDrift[];
  /** The host's readable runtime values (what an ended drift's key reads now). */
  readonly runtime: ReadonlyMap<string, string>;
}

interface ConfiguredRow {
  key: string;
  value: string;
  source_file: string;
  source_line: number;
  glob: string | null;
  ignore_failure: number;
}

interface DriftRow {
  key: string;
  runtime: string | null;
  configured: string;
  source_file: string;
  source_line: number;
  unknown_to_kernel: number;
  valid_from: number;
}

/**
 * Writes, inside a snapshot's transaction, the change-only history of the boot configuration (configured value
 * and line per key) and of the drift between it and the runtime values; returns the drift that appeared or
 * ended, for the `config.drift` event. The previous state is read in the same transaction.
 */
@Injectable()
export class BootConfigWriter {
  async write(
    em: EntityManager,
    snapshotId: number,
    takenAt: number,
    reading: BootConfigReading,
  ): Promise<DriftTransitions> {
    await this.writeConfigured(em, snapshotId, takenAt, reading.configured);
    const stored = await this.openDrift(em);
    const plan = planDriftChanges(stored, reading.drift);
    const atReboot = await this.rebootBefore(em, snapshotId);
    for (const ended of plan.ended) {
      await em.query(
        `UPDATE "config_drifts" SET "valid_to" = ?, "closed_by" = ? WHERE "key" = ? AND "valid_to" IS NULL`,
        [takenAt, snapshotId, ended.key],
      );
    }
    for (const d of plan.updated) {
      await em.query(
        `UPDATE "config_drifts" SET "runtime" = ?, "configured" = ?, "source_file" = ?, "source_line" = ?,
                "unknown_to_kernel" = ?
          WHERE "key" = ? AND "valid_to" IS NULL`,
        [d.runtime, d.configured, d.source.file, d.source.line, d.kind === 'unknown-key' ? 1 : 0, d.key],
      );
    }
    for (const rows of chunked(plan.appeared, 200)) {
      await em.query(
        `INSERT INTO "config_drifts" ("key", "runtime", "configured", "source_file", "source_line",
                "unknown_to_kernel", "at_reboot", "valid_from", "opened_by")
         VALUES ${rows.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
        rows.flatMap((d) => [
          d.key,
          d.runtime,
          d.configured,
          d.source.file,
          d.source.line,
          d.kind === 'unknown-key' ? 1 : 0,
          atReboot ? 1 : 0,
          takenAt,
          snapshotId,
        ]),
      );
    }
    return {
      snapshotId,
      takenAt,
      atReboot,
      appeared: plan.appeared.map((d) => ({
        key: d.key,
        runtime: d.runtime,
        configured: d.configured,
        source: d.source,
        unknownToKernel: d.kind === 'unknown-key',
        since: takenAt,
      })),
      ended: plan.ended.map((d) => endedTransition(d, reading)),
    };
  }

  private async writeConfigured(
    em: EntityManager,
    snapshotId: number,
    takenAt: number,
    read: ReadonlyMap<string, ConfiguredValue>,
  ): Promise<void> {
    const rows: ConfiguredRow[] = await em.query(
      `SELECT "key", "value", "source_file", "source_line", "glob", "ignore_failure"
         FROM "configured_values" WHERE "valid_to" IS NULL`,
    );
    const stored = new Map(
      rows.map((r) => [
        r.key,
        {
          key: r.key,
          value: r.value,
          source: { file: r.source_file, line: r.source_line },
          glob: r.glob,
          ignoreFailure: r.ignore_failure === 1,
        },
      ]),
    );
    const plan = planConfiguredChanges(stored, read);
    for (const key of plan.closed) {
      await em.query(
        `UPDATE "configured_values" SET "valid_to" = ?, "closed_by" = ? WHERE "key" = ? AND "valid_to" IS NULL`,
        [takenAt, snapshotId, key],
      );
    }
    for (const chunk of chunked(plan.opened, 200)) {
      await em.query(
        `INSERT INTO "configured_values" ("key", "value", "source_file", "source_line", "glob", "ignore_failure",
                "valid_from", "opened_by")
         VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
        chunk.flatMap((c) => [
          c.key,
          c.value,
          c.source.file,
          c.source.line,
          c.glob,
          c.ignoreFailure ? 1 : 0,
          takenAt,
          snapshotId,
        ]),
      );
    }
  }

  private async openDrift(em: EntityManager): Promise<Map<string, StoredDrift>> {
    const rows: DriftRow[] = await em.query(
      `SELECT "key", "runtime", "configured", "source_file", "source_line", "unknown_to_kernel", "valid_from"
         FROM "config_drifts" WHERE "valid_to" IS NULL`,
    );
    return new Map(
      rows.map((r) => [
        r.key,
        {
          key: r.key,
          runtime: r.runtime,
          configured: r.configured,
          source: { file: r.source_file, line: r.source_line },
          unknownToKernel: r.unknown_to_kernel === 1,
          since: r.valid_from,
        },
      ]),
    );
  }

  /** Whether the snapshot before this one has another (known) boot id. */
  private async rebootBefore(em: EntityManager, snapshotId: number): Promise<boolean> {
    const rows: { boot_id: string | null; previous: string | null }[] = await em.query(
      `SELECT s."boot_id",
              (SELECT p."boot_id" FROM "snapshots" p WHERE p."id" < s."id" ORDER BY p."id" DESC LIMIT 1) AS "previous"
         FROM "snapshots" s WHERE s."id" = ?`,
      [snapshotId],
    );
    const row = rows[0];
    return row !== undefined && rebootBetween(row.previous, row.boot_id);
  }
}

function endedTransition(stored: StoredDrift, reading: BootConfigReading): DriftTransition {
  const now = reading.configured.get(stored.key);
  return {
    key: stored.key,
    runtime: reading.runtime.get(stored.key) ?? null,
    configured: now?.value ?? null,
    source: now?.source ?? null,
    unknownToKernel: stored.unknownToKernel,
    since: stored.since,
  };
}
