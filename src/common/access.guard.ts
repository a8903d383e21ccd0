import { type CanActivate, type ExecutionContext, HttpException, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Request } from 'express';
import type { EnvironmentVariables } from '../config/env.schema.js';
import { type AccessSettings, decideAccess } from '../domain/access/access-policy.js';

/** The access settings of a validated environment. */
export function accessSettingsOf(config: ConfigService<EnvironmentVariables, true>): AccessSettings {
  return {
    readOnly: config.get('READ_ONLY', { infer: true }),
    apiToken: config.get('API_TOKEN', { infer: true }),
    authReads: config.get('AUTH_READS', { infer: true }),
    apiReadToken: config.get('API_READ_TOKEN', { infer: true }),
  };
}

/** Every route's access rule (src/domain/access/access-policy.ts): 405 in postmortem mode, 401 without a token,
 * 403 for the read token on a change. */
@Injectable()
export class AccessGuard implements CanActivate {
  /** Read once: the environment is validated at start and never changes. */
  private readonly settings: AccessSettings;

  constructor(config: ConfigService<EnvironmentVariables, true>) {
    this.settings = accessSettingsOf(config);
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    const decision = decideAccess(request.method, request.headers.authorization, this.settings);
    if (decision.allowed) return true;
    throw new HttpException(decision.message, decision.status);
  }
}
