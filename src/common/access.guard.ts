import {
  type CanActivate,
  type ExecutionContext,
  HttpException,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Request } from 'express';
import type { EnvironmentVariables } from '../config/env.schema.js';
import { bearerOf, tokenMatches } from '../domain/access/bearer-token.js';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Who may do what. Postmortem (READ_ONLY) mode refuses every mutation with 405. With API_TOKEN set, a
 * mutation needs `Authorization: Bearer <API_TOKEN>`; with AUTH_READS=true a read needs API_TOKEN or
 * API_READ_TOKEN. Tokens are compared in constant time and never logged.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(private readonly config: ConfigService<EnvironmentVariables, true>) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    const isRead = READ_METHODS.has(request.method);
    if (!isRead && this.config.get('READ_ONLY', { infer: true })) {
      throw new HttpException(
        'the agent serves a database read-only (postmortem mode): nothing can be changed or collected',
        405,
      );
    }
    const token = this.config.get('API_TOKEN', { infer: true });
    if (!token) return true;
    const presented = bearerOf(request.headers.authorization);
    if (tokenMatches(presented, token)) return true;
    if (isRead) {
      if (!this.config.get('AUTH_READS', { infer: true })) return true;
      if (tokenMatches(presented, this.config.get('API_READ_TOKEN', { infer: true }))) return true;
    }
    throw new UnauthorizedException(
      isRead
        ? 'reads need Authorization: Bearer <API_TOKEN or API_READ_TOKEN>'
        : 'changes need Authorization: Bearer <API_TOKEN>',
    );
  }
}
