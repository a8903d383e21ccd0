import { Injectable } from '@nestjs/common';

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
 * POSTs one delivery. Credentials embedded in the URL become a Basic Authorization header (fetch refuses
 * URLs that carry them). Redirects are not followed. Success is any 2xx within the timeout; the response
 * body is discarded.
 */
@Injectable()
export class HttpWebhookSender {
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
      const response = await fetch(url, {
        method: 'POST',
        body: request.body,
        headers,
        redirect: 'manual',
        signal: AbortSignal.any([timeout, stop]),
      });
      await response.body?.cancel().catch(() => undefined);
      const ok = response.status >= 200 && response.status < 300;
      return {
        ok,
        statusCode: response.status,
        error: ok ? null : `HTTP ${response.status}`,
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

/** fetch reports "fetch failed" and hides the reason (ECONNREFUSED…) in `cause`. */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause;
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    return code ? `${code}: ${cause.message}` : cause.message;
  }
  return error.message;
}
