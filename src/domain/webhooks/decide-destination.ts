import { isIP } from 'node:net';
import {
  type AddressList,
  listHasAddress,
  listHasName,
  parseAddressList,
  stripBrackets,
} from '../network/address-list.js';

/** Where webhooks may be posted: WEBHOOK_ALLOW and WEBHOOK_DENY, parsed. */
export interface DestinationRules {
  readonly allow: AddressList;
  readonly deny: AddressList;
}

export type DestinationVerdict =
  { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

/**
 * Denied unless WEBHOOK_ALLOW lists their range: link-local addresses (cloud metadata services answer at
 * 169.254.169.254 on AWS, GCP, Azure and OpenStack, and link-local IPv6 is one hop away), the unspecified
 * addresses (a connection to 0.0.0.0 reaches this host), and metadata endpoints outside link-local (AWS over
 * IPv6, Alibaba Cloud, Azure's WireServer).
 */
export const BUILT_IN_DENY: readonly { readonly range: string; readonly why: string }[] = [
  { range: '169.254.0.0/16', why: 'link-local (cloud metadata services answer at 169.254.169.254)' },
  { range: 'fe80::/10', why: 'link-local' },
  { range: '0.0.0.0/8', why: 'an unspecified address' },
  { range: '::/128', why: 'the unspecified address' },
  { range: 'fd00:ec2::254/128', why: 'the AWS metadata service over IPv6' },
  { range: '100.100.100.200/32', why: 'the Alibaba Cloud metadata service' },
  { range: '168.63.129.16/32', why: "Azure's WireServer" },
];

const BUILT_IN = BUILT_IN_DENY.map((entry) => ({ ...entry, list: parseAddressList(entry.range).list }));
const LOOPBACK = parseAddressList('127.0.0.0/8 ::1/128').list;

/** Parses both variables; the problems name the variable and the entry. */
export function destinationRulesFrom(allow: string | undefined, deny: string | undefined) {
  const parsedAllow = parseAddressList(allow);
  const parsedDeny = parseAddressList(deny);
  const rules: DestinationRules = { allow: parsedAllow.list, deny: parsedDeny.list };
  const problems = [
    ...parsedAllow.problems.map((p) => `WEBHOOK_ALLOW: ${p}`),
    ...parsedDeny.problems.map((p) => `WEBHOOK_DENY: ${p}`),
  ];
  return { rules, problems };
}

/**
 * Whether a webhook may be posted to `hostName` (the URL's host) resolved to `addresses` (every address it
 * resolved to, or the literal itself). Every address must pass, in this order, first match wins:
 * 1. the host name or the address is in WEBHOOK_DENY: denied;
 * 2. the address is built-in denied (BUILT_IN_DENY) and not in a WEBHOOK_ALLOW range: denied;
 * 3. loopback (127.0.0.0/8, ::1): allowed (a per-host agent often posts to a local relay);
 * 4. WEBHOOK_ALLOW is set and lists neither the host name nor the address: denied;
 * 5. allowed.
 */
export function decideDestination(
  hostName: string,
  addresses: readonly string[],
  rules: DestinationRules,
): DestinationVerdict {
  const host = stripBrackets(hostName);
  if (addresses.length === 0) return { allowed: false, reason: `${host} resolved to no address` };
  if (isIP(host) === 0 && listHasName(rules.deny, host))
    return { allowed: false, reason: `${host} is listed in WEBHOOK_DENY` };
  for (const address of addresses) {
    const verdict = decideAddress(host, address, rules);
    if (!verdict.allowed) return verdict;
  }
  return { allowed: true };
}

function decideAddress(host: string, address: string, rules: DestinationRules): DestinationVerdict {
  const shown = host === address ? address : `${host} (${address})`;
  if (listHasAddress(rules.deny, address)) return { allowed: false, reason: `${shown} is in WEBHOOK_DENY` };
  const builtIn = BUILT_IN.find((entry) => listHasAddress(entry.list, address));
  if (builtIn && !listHasAddress(rules.allow, address)) {
    return {
      allowed: false,
      reason: `${shown} is ${builtIn.why}, denied by default (list its range in WEBHOOK_ALLOW to permit it)`,
    };
  }
  if (listHasAddress(LOOPBACK, address)) return { allowed: true };
  if (!rules.allow.empty && !listHasAddress(rules.allow, address) && !listHasName(rules.allow, host)) {
    return { allowed: false, reason: `${shown} is not in WEBHOOK_ALLOW` };
  }
  return { allowed: true };
}

/**
 * The verdict that needs no DNS, for a subscription's URL when it is created: a literal address is decided
 * in full, a host name only against WEBHOOK_DENY's names. Undefined when only resolution can tell.
 */
export function decideWithoutResolving(
  hostName: string,
  rules: DestinationRules,
): DestinationVerdict | undefined {
  const host = stripBrackets(hostName);
  if (isIP(host) !== 0) return decideDestination(host, [host], rules);
  if (listHasName(rules.deny, host)) return { allowed: false, reason: `${host} is listed in WEBHOOK_DENY` };
  return undefined;
}
