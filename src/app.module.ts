import { type DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { ApiModule } from './api/api.module.js';
import { CommonModule } from './common/common.module.js';
import type { EnvironmentVariables } from './config/env.schema.js';

@Module({})
export class AppModule {
  /** `env` is already validated (validateEnvironment), so a bad variable never gets this far. */
  static forRoot(env: EnvironmentVariables): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          ignoreEnvFile: true,
          skipProcessEnv: true,
          load: [() => ({ ...env })],
        }),
        CommonModule,
        ApiModule,
      ],
    };
  }
}
