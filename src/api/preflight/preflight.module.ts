import { Module } from '@nestjs/common';
import { StorageModule } from '../../storage/storage.module.js';
import { PreflightController } from './preflight.controller.js';
import { NamespaceResolver } from '../params/namespace-resolver.js';
import { PreflightService } from './preflight.service.js';

/** POST /preflight, GET /not-inherited, GET /namespaces/:ns/not-inherited. */
@Module({
  imports: [StorageModule],
  controllers: [PreflightController],
  providers: [PreflightService, NamespaceResolver],
  exports: [PreflightService],
})
export class PreflightModule {}
