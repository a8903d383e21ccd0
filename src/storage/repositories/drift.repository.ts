import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface DriftRow {
  key: string;
  runtime: string | null;
  configured: string;
  source_file: string;
  source_line: number;
  unknown_to_kernel: number;
  at_reboot: number;
  valid_from: number;
  valid_to: number | null;
}

export interface ConfiguredRow {
  value: string;
  source_file: string;
  source_line: number;
  glob: string | null;
  valid_from: number;
}

/** Drift between runtime values and the boot configuration, and the configured value of a key, as stored. */
@Injectable()
export class DriftRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The drift that held at `at`, by key (ix_config_drifts_open serves `at` = now). */
  at(at: number): Promise<DriftRow[]> {
    return this.dataSource.query(
      `SELECT "key", "runtime", "configured", "source_file", "source_line", "unknown_to_kernel", "at_reboot",
              "valid_from", "valid_to"
         FROM "config_drifts"
        WHERE "valid_from" <= ? AND ("valid_to" IS NULL OR "valid_to" > ?)
        ORDER BY "key"`,
      [at, at],
    );
  }

  /** The drift periods that overlap [from, to], by key and start. */
  overlapping(from: number, to: number): Promise<DriftRow[]> {
    return this.dataSource.query(
      `SELECT "key", "runtime", "configured", "source_file", "source_line", "unknown_to_kernel", "at_reboot",
              "valid_from", "valid_to"
         FROM "config_drifts"
        WHERE "valid_from" <= ? AND ("valid_to" IS NULL OR "valid_to" > ?)
        ORDER BY "key", "valid_from"`,
      [to, from],
    );
  }

  /** What the boot configuration set for `key` at `at`, or undefined. */
  async configured(key: string, at: number): Promise<ConfiguredRow | undefined> {
    const rows: ConfiguredRow[] = await this.dataSource.query(
      `SELECT "value", "source_file", "source_line", "glob", "valid_from" FROM "configured_values"
        WHERE "key" = ? AND "valid_from" <= ? AND ("valid_to" IS NULL OR "valid_to" > ?)
        ORDER BY "valid_from" DESC LIMIT 1`,
      [key, at, at],
    );
    return rows[0];
  }
}
