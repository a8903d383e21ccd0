import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EnvironmentVariables } from '../config/env.schema.js';
import { destinationRulesFrom } from '../domain/webhooks/decide-destination.js';
import { DestinationGuard } from './destination-guard.js';
import { pinnedPost } from './pinned-post.js';

export interface WebhookRequest {
  readonly url: string;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
}

export interface SendOutcome {
  readonly ok: boolean;
  readonly statusCode: number | null;
  readonly error: string | null;
  readonly durationMs: number;
  /** The agent is stopping: the attempt does not count and the delivery stays due. */
  readonly aborted: boolean;
}

const USER_AGENT = 'kernel-ledger-webhooks/1';

/**
 * POSTs one delivery. Credentials embedded in the URL become a Basic Authorization header. The destination is
 * resolved and checked against WEBHOOK_ALLOW/WEBHOOK_DENY at every attempt, and only a checked address is
 * connected to (DestinationGuard, pinnedPost); a refused one is a failed attempt that sent nothing. Redirects
 * are not followed. Success is any 2xx within the timeout; the response body is discarded.
 */
@Injectable()
export class HttpWebhookSender {
  private readonly destinations: DestinationGuard;

  constructor(config: ConfigService<EnvironmentVariables, true>) {
    const { rules } = destinationRulesFrom(
      config.get('WEBHOOK_ALLOW', { infer: true }),
      config.get('WEBHOOK_DENY', { infer: true }),
    );
    this.destinations = new DestinationGuard(rules);
  }

  async send(request: WebhookRequest, timeoutMs: number, stop: AbortSignal): Promise<SendOutcome> {
    const started = performance.now();
    const elapsed = (): number => Math.round(performance.now() - started);
    const url = new URL(request.url);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': USER_AGENT,
      ...request.headers,
    };
    if (url.username !== '' || url.password !== '') {
      const user = decodeURIComponent(url.username);
      const password = decodeURIComponent(url.password);
      headers.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
      url.username = '';
      url.password = '';
    }
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
      const signal = AbortSignal.any([timeout, stop]);
      const destination = await this.destinations.vet(url, signal);
      if (!destination.allowed) {
        const error = `destination refused: ${destination.reason}`;
        return { ok: false, statusCode: null, error, durationMs: elapsed(), aborted: false };
      }
      const status = await pinnedPost(url, destination.addresses, { body: request.body, headers, signal });
      const ok = status >= 200 && status < 300;
      return {
        ok,
        statusCode: status,
        error: ok ? null : `HTTP ${status}`,
        durationMs: elapsed(),
        aborted: false,
      };
    } catch (error) {
      if (stop.aborted)
        return { ok: false, statusCode: null, error: 'agent stopping', durationMs: elapsed(), aborted: true };
      const message = timeout.aborted ? `no response within ${timeoutMs} ms` : describeError(error);
      return { ok: false, statusCode: null, error: message, durationMs: elapsed(), aborted: false };
    }
  }
}

/** The error code first (ECONNREFUSED, ENOTFOUND…), then node's message. */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  return code ? `${code}: ${error.message}` : error.message;
}
