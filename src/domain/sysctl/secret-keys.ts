import { createHash } from 'node:crypto';
import type { SysctlReading } from './sysctl-types.js';

/**
 * Keys whose content is a secret (mode 0600 on 6.18, found with `find /proc/sys -perm 0600`): the TCP Fast
 * Open cookie key of a netns and the IPv6 stable-privacy address secret of each device (and `all`,
 * `default`). The other 0600 keys (`kernel.cad_pid`, `kernel.usermodehelper.*`, `net.core.bpf_jit_*`,
 * `vm.mmap_rnd_*bits`, `vm.stat_refresh`) are settings, not secrets. A secret is a fact, not a value
 * (DESIGN.md): it is stored, served, exported and measured only as a digest, so a change is still seen.
 */
const SECRET_KEY = /^(net\.ipv4\.tcp_fastopen_key|net\.ipv6\.conf\.[^.]+\.stable_secret)$/;

/** The value of a secret the kernel holds none of: an unset `stable_secret` answers EIO. */
export const UNSET_SECRET = 'unset';

const DIGEST_PREFIX = 'sha256:';

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** `sha256:` and the first 16 hex digits of the SHA-256 of the value: equal values, equal digests. */
export function secretDigest(value: string): string {
  return `${DIGEST_PREFIX}${createHash('sha256').update(value).digest('hex').slice(0, 16)}`;
}

/** True for a stored value that is already a digest or the unset marker (a migration runs once per row). */
export function isConcealed(value: string): boolean {
  return value === UNSET_SECRET || (value.startsWith(DIGEST_PREFIX) && value.length === 23);
}

/**
 * The stored form of a secret's value: its digest (a digest stays as it is). A null `stable_secret` (older
 * records of the EIO an unset one answers) becomes `unset`; any other null stays null (not readable).
 */
export function concealedValue(key: string, value: string | null): string | null {
  if (value === null) return key.endsWith('.stable_secret') ? UNSET_SECRET : null;
  return isConcealed(value) ? value : secretDigest(value);
}

/**
 * Readings with every secret replaced by its digest (access `secret`); an unset `stable_secret` (EIO) reads
 * `unset`, not unreadable. A secret the agent may not read at all (EACCES without privileges) stays unreadable.
 */
export function concealSecrets(readings: readonly SysctlReading[]): SysctlReading[] {
  return readings.map((reading) => {
    if (!isSecretKey(reading.key)) return reading;
    if (reading.access === 'readable' && reading.value !== null) {
      return { key: reading.key, access: 'secret', value: secretDigest(reading.value) };
    }
    if (reading.access === 'unreadable' && reading.error === 'EIO') {
      return { key: reading.key, access: 'secret', value: UNSET_SECRET };
    }
    return reading;
  });
}
