import { BadParameterError } from '../../common/api-errors.js';
import type { PreflightRequest } from '../../domain/preflight/preflight-types.js';
import { ManifestError, readManifest } from '../../domain/preflight/read-manifest.js';
import { isWellFormedKey } from '../../domain/sysctl/sysctl-key.js';
import { MAX_PREFLIGHT_SYSCTLS, MAX_SYSCTL_VALUE_CHARS, type PreflightBody } from './preflight.dto.js';

/** Sysctl keys as the engines take them: `net/core/somaxconn` is `net.core.somaxconn` (runc, kubelet). */
function normalisedKey(key: string): string {
  const first = key.search(/[./]/);
  if (first === -1 || key[first] === '.') return key;
  return key.replace(/[./]/g, (c) => (c === '.' ? '/' : '.'));
}

/** Parses the body at the edge: one request with checked keys and values, and where it came from. */
export function preflightRequestOf(body: PreflightBody): { request: PreflightRequest; source: string } {
  if (body.manifest !== undefined && body.sysctls !== undefined) {
    throw new BadParameterError('manifest', 'give either sysctls or manifest, not both');
  }
  if (body.manifest === undefined && body.sysctls === undefined) {
    throw new BadParameterError('sysctls', 'give sysctls ({key: value}) or a manifest');
  }
  if (body.service !== undefined && body.manifest === undefined) {
    throw new BadParameterError('service', 'only goes with manifest');
  }
  let raw: Iterable<[string, unknown]>;
  let source = 'request';
  let network = body.network ?? 'private';
  let ipc = body.ipc ?? 'private';
  let runtime = body.runtime ?? 'docker';
  if (body.manifest !== undefined) {
    try {
      const read = readManifest(body.manifest, body.service);
      raw = read.sysctls;
      source = read.source;
      network = body.network ?? read.network;
      ipc = body.ipc ?? read.ipc;
      runtime = body.runtime ?? read.runtime;
    } catch (error) {
      if (error instanceof ManifestError) throw new BadParameterError('manifest', error.message);
      throw error;
    }
  } else {
    raw = Object.entries(body.sysctls ?? {});
  }
  const sysctls = new Map<string, string>();
  for (const [rawKey, rawValue] of raw) {
    const key = normalisedKey(rawKey.trim());
    if (!isWellFormedKey(key)) {
      throw new BadParameterError('sysctls', `'${rawKey.slice(0, 80)}' is not a sysctl key`);
    }
    if (typeof rawValue !== 'string' && typeof rawValue !== 'number') {
      throw new BadParameterError('sysctls', `${key}: the value must be a string or a number`);
    }
    const value = String(rawValue);
    if (value.length > MAX_SYSCTL_VALUE_CHARS || value.includes('\0')) {
      throw new BadParameterError(
        'sysctls',
        `${key}: the value is longer than ${MAX_SYSCTL_VALUE_CHARS} characters or holds NUL`,
      );
    }
    sysctls.set(key, value);
    if (sysctls.size > MAX_PREFLIGHT_SYSCTLS) {
      throw new BadParameterError('sysctls', `at most ${MAX_PREFLIGHT_SYSCTLS} sysctls`);
    }
  }
  return { request: { sysctls, network, ipc, runtime }, source };
}
