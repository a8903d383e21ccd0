import { Controller, Get, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import { socketList } from '../../config/socket-list.js';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { ConfigService } from '@nestjs/config';
import {
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
  type HealthCheckResult,
} from '@nestjs/terminus';
import type { Response } from 'express';
import { existsSync } from 'node:fs';
import { CLOCK, type Clock } from '../../common/clock.js';
import type { EnvironmentVariables } from '../../config/env.schema.js';
import { KmsgService } from '../../kernel-events/kmsg.service.js';
import { KeyClassifier } from '../../snapshot/key-classifier.js';
import { SnapshotService } from '../../snapshot/snapshot.service.js';
import { SNAPSHOT_SETTINGS, type SnapshotSettings } from '../../snapshot/snapshot.tokens.js';
import { StorageStatus } from '../../storage/storage-status.js';
import {
  dockerIndicator,
  dockerStatus,
  kernelLogIndicator,
  snapshotFreshness,
  snapshotsIndicator,
  storageIndicator,
} from './health-indicators.js';
import { SnapshotLogRepository } from '../../storage/repositories/snapshot-log.repository.js';
import { HealthView } from './health.views.js';

const STARTED_AT = Date.now();

/**
 * Health through @nestjs/terminus: the database answers, the last snapshot is fresh, an installed Docker
 * engine answers. 200 when all are up, 503 otherwise; the body always carries the details.
 */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly snapshotLog: SnapshotLogRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SNAPSHOT_SETTINGS) private readonly settings: SnapshotSettings,
    private readonly snapshots: SnapshotService,
    private readonly classifier: KeyClassifier,
    private readonly config: ConfigService<EnvironmentVariables, true>,
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly kmsg: KmsgService,
    private readonly storage: StorageStatus,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      'Liveness: database, storage writable, last snapshot age vs the interval, Docker reachability, kernel log readability',
  })
  @ApiOkResponse({ type: HealthView, description: 'Every indicator is up.' })
  @ApiServiceUnavailableResponse({
    type: HealthView,
    description: 'An indicator is down; the body carries the details.',
    example: {
      status: 'error',
      info: { database: { status: 'up' } },
      error: { snapshots: { status: 'down', message: 'last snapshot is 900 s old' } },
      details: {
        database: { status: 'up' },
        snapshots: { status: 'down', message: 'last snapshot is 900 s old' },
      },
      snapshotIntervalSeconds: 60,
      skippedTicks: 0,
      lastSnapshot: { id: 4812, takenAt: '2026-11-29T13:48:00.000Z', ageSeconds: 900, stale: true },
      docker: null,
      classification: { ran: true, kernelRelease: '6.18.0-1-amd64', failure: null },
      kernelLog: { readable: true, message: null, lastSeq: 10452 },
      storage: {
        path: '/var/lib/kernel-ledger/ledger.db',
        writable: true,
        problem: null,
        reason: null,
        failingSince: null,
        consecutiveFailures: 0,
        lastCommitAt: '2026-11-29T14:03:00.000Z',
        waitingForLockSince: null,
        fileFault: null,
      },
    },
  })
  async check(@Res() response: Response): Promise<void> {
    const last = await this.snapshotLog.last();
    const freshness = snapshotFreshness(last, this.clock.now(), this.settings.intervalSeconds);
    const docker = dockerStatus(last);
    // Postmortem: the copy's Docker status comes from its last snapshot; this host's engine is not probed.
    const socketExists = this.config.get('READ_ONLY', { infer: true })
      ? null
      : socketList(this.config.get('DOCKER_SOCKET', { infer: true })).some((socket) => existsSync(socket));
    const storage = this.storage.view(this.clock.now());
    let result: HealthCheckResult;
    let status = 200;
    try {
      result = await this.health.check([
        () => this.database.pingCheck('database').withTimeout(1500),
        () => storageIndicator(this.indicators, storage, this.config.get('READ_ONLY', { infer: true })),
        () =>
          snapshotsIndicator(this.indicators, freshness, {
            readOnly: this.config.get('READ_ONLY', { infer: true }),
            uptimeSeconds: (Date.now() - STARTED_AT) / 1000,
            intervalSeconds: this.settings.intervalSeconds,
            lastFailure: this.snapshots.lastFailure,
          }),
        () => dockerIndicator(this.indicators, docker, socketExists),
        () =>
          kernelLogIndicator(
            this.indicators,
            this.kmsg.status(),
            this.config.get('READ_ONLY', { infer: true }),
          ),
      ]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      result = error.getResponse() as HealthCheckResult;
      status = 503;
    }
    const view: HealthView = {
      ...result,
      snapshotIntervalSeconds: this.settings.intervalSeconds,
      skippedTicks: this.snapshots.skippedTicks,
      lastSnapshot: freshness,
      docker,
      classification: this.classifier.probeStatus,
      kernelLog: this.kmsg.status(),
      storage,
    };
    response.status(status).json(view);
  }
}
