import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupAddress, LookupOptions } from 'node:dns';

export interface PinnedPost {
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly signal: AbortSignal;
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * POSTs `body` to `url`, connecting only to `addresses` (already vetted by DestinationGuard): the request's DNS
 * lookup answers with them instead of asking the resolver again, so nothing can swap the address between the
 * check and the connection. The host name still goes in `Host` and in TLS (SNI and certificate check). One
 * fresh connection per call, no redirect followed; resolves with the status once the headers arrive (the body
 * is discarded).
 */
export function pinnedPost(url: URL, addresses: readonly LookupAddress[], post: PinnedPost): Promise<number> {
  const options: RequestOptions = {
    method: 'POST',
    headers: { ...post.headers, 'content-length': String(Buffer.byteLength(post.body)) },
    agent: false,
    signal: post.signal,
    lookup: (_hostName: string, lookupOptions: LookupOptions, done: LookupCallback) => {
      const usable = addresses.filter((a) => !lookupOptions.family || a.family === lookupOptions.family);
      const first = usable[0];
      if (!first)
        return done(Object.assign(new Error('no vetted address of that family'), { code: 'ENOTFOUND' }), '');
      if (lookupOptions.all)
        return done(
          null,
          usable.map((a) => ({ ...a })),
        );
      done(null, first.address, first.family);
    },
  };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<number>((resolve, reject) => {
    const request = send(url, options, (response: IncomingMessage) => {
      response.resume();
      response.on('error', () => undefined);
      resolve(response.statusCode ?? 0);
      response.destroy();
    });
    request.on('error', reject);
    request.end(post.body);
  });
}
