import { Module } from '@nestjs/common';
import { PreflightController } from './preflight.controller.js';
import { PreflightService } from './preflight.service.js';

/** POST /preflight, GET /not-inherited, GET /namespaces/:ns/not-inherited (PreflightRepository is global). */
@Module({
  controllers: [PreflightController],
  providers: [PreflightService],
  exports: [PreflightService],
})
export class PreflightModule {}
