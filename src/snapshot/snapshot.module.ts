import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ScheduleModule } from '@nestjs/schedule';
import { defaultCollectors } from '../collectors/collectors.js';
import type { EnvironmentVariables } from '../config/env.schema.js';
import { StorageModule } from '../storage/storage.module.js';
import { KeyClassifier } from './key-classifier.js';
import { SnapshotScheduler } from './snapshot.scheduler.js';
import { SnapshotService } from './snapshot.service.js';
import { DockerClient } from '../os/docker.client.js';
import { COLLECTORS, DOCKER_CLIENT, SNAPSHOT_SETTINGS, type SnapshotSettings } from './snapshot.tokens.js';

@Module({
  imports: [ScheduleModule.forRoot(), StorageModule],
  providers: [
    SnapshotService,
    SnapshotScheduler,
    KeyClassifier,
    { provide: COLLECTORS, useFactory: defaultCollectors },
    {
      provide: SNAPSHOT_SETTINGS,
      inject: [ConfigService],
      useFactory: (config: ConfigService<EnvironmentVariables, true>): SnapshotSettings => ({
        procRoot: config.get('PROC_ROOT', { infer: true }),
        netnsDir: config.get('NETNS_DIR', { infer: true }),
        intervalSeconds: config.get('SNAPSHOT_INTERVAL', { infer: true }),
        namespaceReadTimeoutMs: config.get('NAMESPACE_READ_TIMEOUT_MS', { infer: true }),
        namespaceReadConcurrency: config.get('NAMESPACE_READ_CONCURRENCY', { infer: true }),
      }),
    },
    {
      provide: DOCKER_CLIENT,
      inject: [ConfigService],
      useFactory: (config: ConfigService<EnvironmentVariables, true>): DockerClient =>
        new DockerClient({ socketPath: config.get('DOCKER_SOCKET', { infer: true }), timeoutMs: 3000 }),
    },
  ],
  exports: [SnapshotService, KeyClassifier, SNAPSHOT_SETTINGS],
})
export class SnapshotModule {}
