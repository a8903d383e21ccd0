import { BlockList, isIP } from 'node:net';

/**
 * A parsed list of network destinations, as operators write them in one variable: CIDRs (`10.0.0.0/8`,
 * `fd00::/8`), single addresses (`192.0.2.7`, `::1`), host names (`hooks.example.com`) and domain suffixes
 * (`.example.com` or `*.example.com`: the domain's subdomains), separated by commas or spaces.
 * IPv4-mapped IPv6 addresses (`::ffff:169.254.169.254`) match the IPv4 ranges.
 */
export interface AddressList {
  readonly empty: boolean;
  readonly addresses: BlockList;
  readonly names: ReadonlySet<string>;
  /** Lower-case, with their leading dot. */
  readonly suffixes: readonly string[];
}

export interface ParsedAddressList {
  readonly list: AddressList;
  /** One sentence per bad entry, naming it. */
  readonly problems: readonly string[];
}

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]{0,62})(?:\.[a-z0-9_](?:[a-z0-9_-]{0,62}))*$/;

/** Splits and parses `raw`; `undefined` or blank is an empty list. */
export function parseAddressList(raw: string | undefined): ParsedAddressList {
  const addresses = new BlockList();
  const names = new Set<string>();
  const suffixes: string[] = [];
  const problems: string[] = [];
  const entries = (raw ?? '').split(/[\s,]+/).filter((entry) => entry !== '');
  for (const entry of entries) {
    const problem = addEntry(entry, addresses, names, suffixes);
    if (problem) problems.push(`'${entry.slice(0, 80)}' ${problem}`);
  }
  return { list: { empty: entries.length === 0, addresses, names, suffixes }, problems };
}

function addEntry(
  entry: string,
  addresses: BlockList,
  names: Set<string>,
  suffixes: string[],
): string | null {
  const slash = entry.indexOf('/');
  if (slash >= 0) {
    const network = stripBrackets(entry.slice(0, slash));
    const bits = entry.slice(slash + 1);
    const family = isIP(network);
    const max = family === 4 ? 32 : 128;
    if (family === 0) return 'is not a CIDR: the part before / is not an IP address';
    if (!/^\d{1,3}$/.test(bits) || Number(bits) > max) return `is not a CIDR: the prefix must be 0 to ${max}`;
    addresses.addSubnet(network, Number(bits), family === 4 ? 'ipv4' : 'ipv6');
    return null;
  }
  const address = stripBrackets(entry);
  const family = isIP(address);
  if (family !== 0) {
    addresses.addAddress(address, family === 4 ? 'ipv4' : 'ipv6');
    return null;
  }
  const name = normalizeHostName(entry);
  const suffix = name.startsWith('*.') ? name.slice(1) : name.startsWith('.') ? name : null;
  if (!HOST_NAME.test(suffix === null ? name : suffix.slice(1)))
    return 'is neither an IP address, a CIDR nor a host name';
  if (suffix === null) names.add(name);
  else suffixes.push(suffix);
  return null;
}

/** True when `address` (an IP literal) is in the list's ranges. */
export function listHasAddress(list: AddressList, address: string): boolean {
  const family = isIP(stripBrackets(address));
  if (family === 0) return false;
  return list.addresses.check(stripBrackets(address), family === 4 ? 'ipv4' : 'ipv6');
}

/** True when `hostName` is one of the list's names or under one of its domain suffixes. */
export function listHasName(list: AddressList, hostName: string): boolean {
  const name = normalizeHostName(hostName);
  return list.names.has(name) || list.suffixes.some((suffix) => name.endsWith(suffix));
}

/** Lower case, no trailing dot (`Example.COM.` and `example.com` are one name). */
export function normalizeHostName(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

/** `[::1]` → `::1`; anything else unchanged. */
export function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}
