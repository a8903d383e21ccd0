import { isIP } from 'node:net';
import { normalizeHostName, stripBrackets } from '../network/address-list.js';

/** The names and addresses a request may call the agent by (its `Host`, and `Origin` when a browser sends one). */
export interface HostPolicy {
  /** ALLOWED_HOSTS=*: the check is off. */
  readonly anyHost: boolean;
  /** Bound to a wildcard address (0.0.0.0, ::): every IP literal reaches it. */
  readonly anyAddress: boolean;
  /** Lower-case names and normalised IP literals. */
  readonly exact: ReadonlySet<string>;
  /** Domain suffixes from ALLOWED_HOSTS, with their leading dot. */
  readonly suffixes: readonly string[];
}

export type HostVerdict =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly status: 421 | 403; readonly message: string };

const WILDCARD_BINDS = new Set(['0.0.0.0', '::', '']);
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];

/**
 * DNS rebinding: a web page on attacker.example makes its own name resolve to 127.0.0.1, and the browser then
 * sends the page's requests to the agent, with `Host: attacker.example`. A request is therefore answered only
 * when it names the agent by something it is: the address it is bound to (any IP literal on a wildcard bind),
 * `localhost`/127.0.0.1/[::1], this machine's host name, the bind name itself, or an ALLOWED_HOSTS entry
 * (exact, or `.example.com` for its subdomains). The port is not compared: the name is what rebinding forges.
 */
export function hostPolicyFor(bindHost: string, machineHostName: string, allowedHosts: string): HostPolicy {
  const entries = allowedHosts.split(/[\s,]+/).filter((entry) => entry !== '');
  const bind = stripBrackets(bindHost.trim());
  const exact = new Set([...LOOPBACK_NAMES, machineHostName, bind].map(normalizeHost));
  const suffixes: string[] = [];
  for (const entry of entries) {
    const name = normalizeHost(entry);
    if (name.startsWith('*.')) suffixes.push(name.slice(1));
    else if (name.startsWith('.')) suffixes.push(name);
    else exact.add(name);
  }
  return {
    anyHost: entries.includes('*'),
    anyAddress: WILDCARD_BINDS.has(bind),
    exact,
    suffixes,
  };
}

/** The problems of an ALLOWED_HOSTS value, one per bad entry. */
export function allowedHostsProblems(allowedHosts: string): string[] {
  return allowedHosts
    .split(/[\s,]+/)
    .filter((entry) => entry !== '' && entry !== '*')
    .filter((entry) => !/^(\*?\.)?[A-Za-z0-9_.:[\]-]+$/.test(entry))
    .map((entry) => `'${entry.slice(0, 80)}' is not a host name or an IP address`);
}

/**
 * Decides on the request's `Host` header and, when present, its `Origin`. A request without Host (HTTP/1.0)
 * comes from no browser, so it cannot be a rebinding: it passes.
 */
export function decideHost(
  host: string | undefined,
  origin: string | undefined,
  policy: HostPolicy,
): HostVerdict {
  if (policy.anyHost) return { allowed: true };
  if (host !== undefined && !nameAllowed(hostOfAuthority(host), policy)) {
    return {
      allowed: false,
      status: 421,
      message: `Host '${host.slice(0, 100)}' does not name this agent; add the name to ALLOWED_HOSTS if it is yours (DNS rebinding protection)`,
    };
  }
  if (origin !== undefined && !originAllowed(origin, policy)) {
    return {
      allowed: false,
      status: 403,
      message: `requests from the web page at Origin '${origin.slice(0, 100)}' are refused; add its host to ALLOWED_HOSTS if it is yours`,
    };
  }
  return { allowed: true };
}

function originAllowed(origin: string, policy: HostPolicy): boolean {
  try {
    return nameAllowed(new URL(origin).hostname, policy);
  } catch {
    return false; // `null` (a sandboxed frame, a file) and garbage name no host of ours
  }
}

function nameAllowed(name: string, policy: HostPolicy): boolean {
  const host = normalizeHost(name);
  if (host === '') return false;
  if (policy.exact.has(host)) return true;
  if (policy.anyAddress && isIP(host) !== 0) return true;
  return policy.suffixes.some((suffix) => host.endsWith(suffix));
}

/** `example.com:9477` → `example.com`; `[::1]:9477` → `[::1]`. */
function hostOfAuthority(authority: string): string {
  const value = authority.trim();
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    return end < 0 ? value : value.slice(0, end + 1);
  }
  const colon = value.indexOf(':');
  return colon < 0 ? value : value.slice(0, colon);
}

/** Lower case, brackets and a trailing dot removed, IPv6 in its canonical form. */
function normalizeHost(name: string): string {
  const bare = normalizeHostName(stripBrackets(name.trim()));
  if (isIP(bare) === 6) {
    try {
      return stripBrackets(new URL(`http://[${bare}]/`).hostname);
    } catch {
      return bare;
    }
  }
  return bare;
}
