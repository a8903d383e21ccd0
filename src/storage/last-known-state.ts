import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { ValueState } from '../domain/history/diff-value-maps.js';

/**
 * The open value of every setting per namespace set, as last committed: what the next snapshot compares
 * with. Loaded from the open intervals once, then kept in memory by the single writer.
 */
@Injectable()
export class LastKnownState {
  private readonly states = new Map<string, ValueState>();

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
    const state = new Map(rows.map((r) => [r.name, r.value]));
    this.states.set(identity, state);
    return state;
  }

  /** Called after the snapshot that produced `state` has committed. */
  remember(identity: string, state: ValueState): void {
    this.states.set(identity, state);
  }
}
