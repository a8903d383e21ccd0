import { Agent, type IncomingHttpHeaders, request } from 'node:http';

export interface RawRequest {
  readonly method: string;
  /** Sent byte for byte as the request target: no normalisation of `..`, no re-encoding (unlike fetch). */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
}

export interface RawResponse {
  /** 0 when no response arrived (see `error`). */
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  /** A transport error (reset, timeout) when no complete response arrived. */
  readonly error: string | null;
  readonly ms: number;
}

/** A keep-alive pool of at most `maxSockets` connections to one loopback agent. */
export function loopbackPool(maxSockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets });
}

/**
 * One HTTP/1.1 request through node:http, which (unlike fetch) sends the path exactly as given, so encoded
 * and raw traversal sequences reach the server untouched. Never rejects: failures come back in `error`.
 */
export function rawRequest(
  baseUrl: string,
  req: RawRequest,
  options: { agent?: Agent; timeoutMs?: number } = {},
): Promise<RawResponse> {
  const url = new URL(baseUrl);
  if (url.hostname !== '127.0.0.1') throw new Error(`refusing to send test traffic to ${url.hostname}`);
  const started = Date.now();
  return new Promise<RawResponse>((resolve) => {
    let settled = false;
    const finish = (response: Omit<RawResponse, 'ms'>): void => {
      if (settled) return;
      settled = true;
      resolve({ ...response, ms: Date.now() - started });
    };
    let client: ReturnType<typeof request>;
    try {
      client = request(
        {
          host: url.hostname,
          port: url.port,
          method: req.method,
          path: req.path,
          // node:http sends a GET/DELETE body with no length (it would read as a second request): say it.
          headers: {
            ...(req.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(req.body)) }),
            ...req.headers,
          },
          agent: options.agent ?? false,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            finish({
              status: res.statusCode ?? 0,
              headers: res.headers,
              text: Buffer.concat(chunks).toString('utf8'),
              error: null,
            }),
          );
          res.on('error', (error) =>
            finish({ status: res.statusCode ?? 0, headers: res.headers, text: '', error: error.message }),
          );
        },
      );
    } catch (error) {
      finish({ status: 0, headers: {}, text: '', error: `client refused: ${(error as Error).message}` });
      return;
    }
    client.setTimeout(options.timeoutMs ?? 15_000, () =>
      client.destroy(new Error(`no answer in ${options.timeoutMs ?? 15_000} ms`)),
    );
    client.on('error', (error) => finish({ status: 0, headers: {}, text: '', error: error.message }));
    client.end(req.body);
  });
}

/** True when the body parses as JSON. */
export function isJsonText(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** A request as one line (truncated), to print offenders in a reproducible form. */
export function describeRequest(req: RawRequest, max = 400): string {
  const headers = Object.entries(req.headers ?? {})
    .map(([k, v]) => `${k}: ${v}`)
    .join('; ');
  const body =
    req.body === undefined
      ? ''
      : ` body(${req.body.length} bytes)=${JSON.stringify(req.body.toString().slice(0, max))}`;
  const path = req.path.length > max ? `${req.path.slice(0, max)}…(${req.path.length} chars)` : req.path;
  return `${req.method} ${path}${headers ? ` [${headers}]` : ''}${body}`;
}
