import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ownerNamesSql } from '../owner-names.js';
import { WriteLock } from '../write-lock.js';

export interface IncidentRow {
  id: number;
  title: string;
  started_at: number;
  ended_at: number | null;
  namespace_id: number | null;
  symptoms: string;
  source: string;
  signature: string | null;
  created_at: number;
  identity: string | null;
  owners: string | null;
}

const SELECT = `SELECT i.*, n."identity",
    ${ownerNamesSql('i."namespace_id"')} AS "owners"
  FROM "incidents" i LEFT JOIN "namespaces" n ON n."id" = i."namespace_id"`;

/** The incidents table: opened by operators (and, through the same table, by kernel events). */
@Injectable()
export class IncidentsRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly lock: WriteLock,
  ) {}

  /** Incidents started in [from, to], newest first. */
  list(from: number, to: number, limit: number): Promise<IncidentRow[]> {
    return this.dataSource.query(
      `${SELECT} WHERE i."started_at" >= ? AND i."started_at" <= ? ORDER BY i."started_at" DESC, i."id" DESC LIMIT ?`,
      [from, to, limit],
    );
  }

  async row(id: number): Promise<IncidentRow | undefined> {
    const rows: IncidentRow[] = await this.dataSource.query(`${SELECT} WHERE i."id" = ?`, [id]);
    return rows[0];
  }

  /**
   * Sets the title and the end (null reopens). False when the change would open a second automatic incident
   * for the same signature and set (the unique partial index ux_incidents_open_auto).
   */
  async update(
    id: number,
    change: { readonly title: string; readonly endedAt: number | null },
  ): Promise<boolean> {
    try {
      await this.lock.exclusive(() =>
        this.dataSource.query(`UPDATE "incidents" SET "title" = ?, "ended_at" = ? WHERE "id" = ?`, [
          change.title,
          change.endedAt,
          id,
        ]),
      );
      return true;
    } catch (error) {
      if (/UNIQUE constraint failed/.test(String(error))) return false;
      throw error;
    }
  }

  async remove(id: number): Promise<void> {
    await this.lock.exclusive(() => this.dataSource.query(`DELETE FROM "incidents" WHERE "id" = ?`, [id]));
  }
}
