import { lookup } from 'node:dns/promises';
import type { LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import { stripBrackets } from '../domain/network/address-list.js';
import { decideDestination, type DestinationRules } from '../domain/webhooks/decide-destination.js';

export type Resolver = (hostName: string) => Promise<readonly LookupAddress[]>;

export type VettedDestination =
  | { readonly allowed: true; readonly addresses: readonly LookupAddress[] }
  | { readonly allowed: false; readonly reason: string };

/** Every address the system resolver gives (getaddrinfo, as a connection would: /etc/hosts first). */
export const systemResolver: Resolver = (hostName) => lookup(hostName, { all: true, verbatim: true });

/**
 * Resolves a webhook URL's host and decides on every address it resolved to (decideDestination), at each
 * delivery attempt: DNS may have changed since the subscription was made. The addresses returned are the
 * ones the request must connect to (pinnedLookup), so the address checked is the address used.
 */
export class DestinationGuard {
  constructor(
    private readonly rules: DestinationRules,
    private readonly resolve: Resolver = systemResolver,
  ) {}

  /** `signal` ends the wait for the resolver (getaddrinfo itself cannot be cancelled). */
  async vet(url: URL, signal: AbortSignal): Promise<VettedDestination> {
    const host = stripBrackets(url.hostname);
    const family = isIP(host);
    const addresses =
      family !== 0 ? [{ address: host, family }] : await untilAborted(this.resolve(host), signal);
    const verdict = decideDestination(
      host,
      addresses.map((a) => a.address),
      this.rules,
    );
    return verdict.allowed ? { allowed: true, addresses } : verdict;
  }
}

function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const abort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', abort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}
