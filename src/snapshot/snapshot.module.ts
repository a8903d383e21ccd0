import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { defaultCollectors } from '../collectors/collectors.js';
import type { EnvironmentVariables } from '../config/env.schema.js';
import { EventsModule } from '../events/events.module.js';
import { StorageModule } from '../storage/storage.module.js';
import { KeyClassifier } from './key-classifier.js';
import { SnapshotService } from './snapshot.service.js';
import { socketList } from '../config/socket-list.js';
import { CriClient } from '../os/cri/cri.client.js';
import { DockerClient } from '../os/docker.client.js';
import {
  COLLECTORS,
  CRI_CLIENT,
  DOCKER_CLIENT,
  SNAPSHOT_SETTINGS,
  type SnapshotSettings,
} from './snapshot.tokens.js';

/**
 * The snapshot pipeline (SnapshotService), publishing `snapshot.committed` on the event seam. It runs when
 * asked: by CollectionScheduler while AppModule collects, by POST /snapshots, or by the CLI.
 */
/** CRI_SOCKET when set (`none` turns the CRI off), else containerd's and CRI-O's default sockets. */
function criSockets(configured: string | undefined): string[] {
  if (configured === 'none') return [];
  return configured ? [configured] : ['/run/containerd/containerd.sock', '/run/crio/crio.sock'];
}

@Module({
  imports: [EventsModule, StorageModule],
  providers: [
    SnapshotService,
    KeyClassifier,
    { provide: COLLECTORS, useFactory: defaultCollectors },
    {
      provide: SNAPSHOT_SETTINGS,
      inject: [ConfigService],
      useFactory: (config: ConfigService<EnvironmentVariables, true>): SnapshotSettings => ({
        procRoot: config.get('PROC_ROOT', { infer: true }),
        netnsDir: config.get('NETNS_DIR', { infer: true }),
        sysctlConfRoot: config.get('SYSCTL_CONF_ROOT', { infer: true }),
        podLogRoot: config.get('POD_LOG_ROOT', { infer: true }),
        intervalSeconds: config.get('SNAPSHOT_INTERVAL', { infer: true }),
        namespaceReadTimeoutMs: config.get('NAMESPACE_READ_TIMEOUT_MS', { infer: true }),
        namespaceReadConcurrency: config.get('NAMESPACE_READ_CONCURRENCY', { infer: true }),
        fullReadsPerSnapshot: config.get('FULL_READS_PER_SNAPSHOT', { infer: true }),
      }),
    },
    {
      provide: DOCKER_CLIENT,
      inject: [ConfigService],
      useFactory: (config: ConfigService<EnvironmentVariables, true>): DockerClient =>
        new DockerClient({
          socketPaths: socketList(config.get('DOCKER_SOCKET', { infer: true })),
          timeoutMs: 3000,
          dockerHost: config.get('DOCKER_HOST', { infer: true }),
        }),
    },
    {
      provide: CRI_CLIENT,
      inject: [ConfigService],
      useFactory: (config: ConfigService<EnvironmentVariables, true>): CriClient =>
        new CriClient({ sockets: criSockets(config.get('CRI_SOCKET', { infer: true })), timeoutMs: 3000 }),
    },
  ],
  exports: [SnapshotService, KeyClassifier, SNAPSHOT_SETTINGS],
})
export class SnapshotModule {}
