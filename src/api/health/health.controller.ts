import { Controller, Get, Inject } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '../../common/clock.js';
import { KeyClassifier, type ProbeStatus } from '../../snapshot/key-classifier.js';
import { SnapshotService } from '../../snapshot/snapshot.service.js';
import { SNAPSHOT_SETTINGS, type SnapshotSettings } from '../../snapshot/snapshot.tokens.js';

export interface HealthView {
  status: 'ok';
  snapshotIntervalSeconds: number;
  skippedTicks: number;
  lastSnapshot: { id: number; takenAt: string; ageSeconds: number; stale: boolean } | null;
  /** From the last snapshot's errors: whether the Docker engine answered. Null before any snapshot. */
  docker: { reachable: boolean; message: string | null } | null;
  /** Whether the start-up probe of this kernel ran (else keys are classified from the built-in table). */
  classification: ProbeStatus;
}

/** Liveness plus the age of the last recorded snapshot (read from the database). */
@Controller('health')
export class HealthController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SNAPSHOT_SETTINGS) private readonly settings: SnapshotSettings,
    private readonly snapshots: SnapshotService,
    private readonly classifier: KeyClassifier,
  ) {}

  @Get()
  async health(): Promise<HealthView> {
    const rows: { id: number; taken_at: number; errors: string }[] = await this.dataSource.query(
      `SELECT "id", "taken_at", "errors" FROM "snapshots" ORDER BY "id" DESC LIMIT 1`,
    );
    const last = rows[0];
    const ageSeconds = last ? Math.max(0, Math.round((this.clock.now() - last.taken_at) / 1000)) : 0;
    return {
      status: 'ok',
      snapshotIntervalSeconds: this.settings.intervalSeconds,
      skippedTicks: this.snapshots.skippedTicks,
      lastSnapshot: last
        ? {
            id: last.id,
            takenAt: new Date(last.taken_at).toISOString(),
            ageSeconds,
            stale: ageSeconds > 3 * this.settings.intervalSeconds,
          }
        : null,
      docker: last ? dockerStatus(last.errors) : null,
      classification: this.classifier.probeStatus,
    };
  }
}

function dockerStatus(errorsJson: string): { reachable: boolean; message: string | null } {
  const errors = JSON.parse(errorsJson) as { source?: string; message?: string }[];
  const docker = errors.find((e) => e.source === 'docker');
  return { reachable: !docker, message: docker?.message ?? null };
}
