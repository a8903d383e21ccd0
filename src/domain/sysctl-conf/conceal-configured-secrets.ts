import { isSecretKey, secretDigest } from '../sysctl/secret-keys.js';
import type { ResolvedBootConfig } from './resolve-configured-values.js';

const HEX_WORD = /^[0-9a-f]{1,8}$/i;

/**
 * `net.ipv4.tcp_fastopen_key` as the kernel prints it back: each key (a primary, then an optional backup after a
 * comma) as four 32-bit words in `%08x` separated by dashes, whatever the spelling written. null when the text
 * is not a key the kernel would accept.
 */
function canonicalFastOpenKey(text: string): string | null {
  const keys = text.split(',').map((k) => k.trim().split('-'));
  if (keys.length > 2 || keys.some((words) => words.length !== 4 || !words.every((w) => HEX_WORD.test(w)))) {
    return null;
  }
  return keys.map((words) => words.map((w) => w.toLowerCase().padStart(8, '0')).join('-')).join(',');
}

/**
 * An IPv6 address as the kernel prints `stable_secret` back (`%pI6`): eight groups of four lower-case hex digits,
 * no `::` shorthand. null for anything else (an embedded IPv4 tail is left as written).
 */
function canonicalIpv6(text: string): string | null {
  const halves = text.toLowerCase().split('::');
  if (halves.length > 2) return null;
  const groupsOf = (part: string | undefined): string[] => (part ? part.split(':') : []);
  const head = groupsOf(halves[0]);
  const tail = groupsOf(halves[1]);
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<string>(halves.length === 1 ? 0 : missing).fill('0'), ...tail];
  if (!groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return null;
  return groups.map((g) => g.padStart(4, '0')).join(':');
}

/**
 * A configured secret in the spelling the kernel reads back, so that its digest equals the digest of the runtime
 * value when both hold the same secret. Text the kernel would not accept stays as written (trimmed).
 */
export function canonicalSecret(key: string, value: string): string {
  const text = value.trim();
  const canonical = key.endsWith('.stable_secret') ? canonicalIpv6(text) : canonicalFastOpenKey(text);
  return canonical ?? text;
}

/**
 * The boot configuration with every secret's configured value replaced by the digest the agent keeps of runtime
 * secrets (src/domain/sysctl/secret-keys.ts): a secret written in a sysctl.d file is compared, stored and served
 * only as a digest, never as its text.
 */
export function concealConfiguredSecrets(config: ResolvedBootConfig): ResolvedBootConfig {
  const values = new Map(
    [...config.values].map(([key, c]) => [
      key,
      isSecretKey(key) ? { ...c, value: secretDigest(canonicalSecret(key, c.value)) } : c,
    ]),
  );
  const unknown = config.unknown.map((a) =>
    isSecretKey(a.key) && a.value !== null
      ? { ...a, value: secretDigest(canonicalSecret(a.key, a.value)) }
      : a,
  );
  return { values, unknown };
}
