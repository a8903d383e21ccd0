import { Module } from '@nestjs/common';
import { StorageModule } from '../../storage/storage.module.js';
import { NamespaceResolver } from '../params/namespace-resolver.js';
import { BaselineDiffController } from './baseline-diff.controller.js';
import { BaselineDiffService } from './baseline-diff.service.js';
import { BaselinesController } from './baselines.controller.js';
import { BaselinesService } from './baselines.service.js';
import { bundleLimitsProvider } from './bundle-limits.token.js';
import { ExportController } from './export.controller.js';
import { ExportService } from './export.service.js';

/**
 * Export bundles, baselines imported from other hosts, and host-vs-baseline diffs. Relies on the global
 * StorageModule (repositories) and CommonModule (CLOCK).
 */
@Module({
  imports: [StorageModule],
  controllers: [ExportController, BaselinesController, BaselineDiffController],
  providers: [ExportService, BaselinesService, BaselineDiffService, bundleLimitsProvider, NamespaceResolver],
  exports: [BaselineDiffService],
})
export class BaselinesModule {}
