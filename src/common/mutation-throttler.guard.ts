import { type ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Request } from 'express';

/** Rate limiting applies to mutating routes only: reads are cheap and postmortems are read-heavy. */
@Injectable()
export class MutationThrottlerGuard extends ThrottlerGuard {
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    const method = context.switchToHttp().getRequest<Request>().method;
    return method === 'GET' || method === 'HEAD' || method === 'OPTIONS' || (await super.shouldSkip(context));
  }
}
