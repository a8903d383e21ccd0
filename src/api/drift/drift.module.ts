import { Module } from '@nestjs/common';
import { StorageModule } from '../../storage/storage.module.js';
import { DriftController } from './drift.controller.js';
import { DriftService } from './drift.service.js';

/** GET /drift; DriftService also gives GET /settings/:key its configured value. */
@Module({
  imports: [StorageModule],
  controllers: [DriftController],
  providers: [DriftService],
  exports: [DriftService],
})
export class DriftModule {}
