import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { EventsModule } from '../events/events.module.js';
import { KmsgModule } from '../kernel-events/kmsg.module.js';
import { SnapshotModule } from '../snapshot/snapshot.module.js';
import { StorageModule } from '../storage/storage.module.js';
import { BaselinesModule } from './baselines/baselines.module.js';
import { DriftModule } from './drift/drift.module.js';
import { KernelEventsModule } from './kernel-events/kernel-events.module.js';
import { LimitsModule } from './limits/limits.module.js';
import { PreflightModule } from './preflight/preflight.module.js';
import { DiffController } from './diff/diff.controller.js';
import { DiffService } from './diff/diff.service.js';
import { NamespaceDiffService } from './diff/namespace-diff.service.js';
import { NamespacesController } from './namespaces/namespaces.controller.js';
import { NamespacesService } from './namespaces/namespaces.service.js';
import { SharedController } from './shared/shared.controller.js';
import { SharedService } from './shared/shared.service.js';
import { AutoIncidentOpener } from './incidents/auto-incident.opener.js';
import { IncidentReportService } from './incidents/incident-report.service.js';
import { IncidentsController } from './incidents/incidents.controller.js';
import { IncidentsService } from './incidents/incidents.service.js';
import { NamespaceResolver } from './params/namespace-resolver.js';
import { HealthController } from './health/health.controller.js';
import { SettingsController } from './settings/settings.controller.js';
import { SettingsQueryService } from './settings/settings.service.js';
import { SnapshotsController } from './snapshots/snapshots.controller.js';
import { SnapshotsQueryService } from './snapshots/snapshots.service.js';
import { WebhooksApiModule } from './webhooks/webhooks-api.module.js';

/**
 * The REST API: every read answers from the database alone. SnapshotModule serves POST /snapshots and
 * /health, KmsgModule /health's kernel-log status; neither starts collecting because of it (AppModule does).
 */
@Module({
  imports: [
    EventsModule,
    StorageModule,
    SnapshotModule,
    KmsgModule,
    TerminusModule,
    BaselinesModule,
    DriftModule,
    KernelEventsModule,
    LimitsModule,
    PreflightModule,
    WebhooksApiModule,
  ],
  controllers: [
    SnapshotsController,
    SettingsController,
    DiffController,
    NamespacesController,
    SharedController,
    IncidentsController,
    HealthController,
  ],
  providers: [
    SnapshotsQueryService,
    SettingsQueryService,
    DiffService,
    NamespaceDiffService,
    NamespacesService,
    SharedService,
    IncidentsService,
    IncidentReportService,
    AutoIncidentOpener,
    NamespaceResolver,
  ],
})
export class ApiModule {}
