import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface RebootRow {
  /** The first snapshot of the new boot. */
  taken_at: number;
  boot_id: string;
  previous_boot_id: string;
}

/** Reboots, as the boot ids of consecutive snapshots tell them. */
@Injectable()
export class BootsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The snapshots in [from, to] whose boot id differs from the previous snapshot's (both known): the first
   * snapshot after each reboot. One pass over the snapshots up to `to` (the primary key's order).
   */
  reboots(from: number, to: number): Promise<RebootRow[]> {
    return this.dataSource.query(
      `SELECT "taken_at", "boot_id", "previous_boot_id" FROM (
         SELECT "taken_at", "boot_id", LAG("boot_id") OVER (ORDER BY "id") AS "previous_boot_id"
           FROM "snapshots" WHERE "taken_at" <= ?
       ) WHERE "taken_at" >= ? AND "boot_id" IS NOT NULL AND "previous_boot_id" IS NOT NULL
           AND "boot_id" <> "previous_boot_id"
       ORDER BY "taken_at"`,
      [to, from],
    );
  }
}
