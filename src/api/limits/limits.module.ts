import { Module } from '@nestjs/common';
import { StorageModule } from '../../storage/storage.module.js';
import { NamespaceResolver } from '../params/namespace-resolver.js';
import { LimitsController } from './limits.controller.js';
import { LimitsService } from './limits.service.js';
import { ReadingFreshnessReader } from './reading-freshness.reader.js';
import { UsageService } from './usage.service.js';

/** GET /limits and GET /usage; reads usage_samples only (the DataSource and CLOCK are global). */
@Module({
  imports: [StorageModule],
  controllers: [LimitsController],
  providers: [LimitsService, UsageService, NamespaceResolver, ReadingFreshnessReader],
})
export class LimitsModule {}
