import type { Scope } from '../sysctl/sysctl-types.js';
import { kubeletNamespaceOf } from './kubelet-rules.js';

/**
 * How the kubelet treats a key in a pod's `securityContext.sysctls`:
 * - `safe`: admitted on every node (the kubelet's safe set for this kernel);
 * - `unsafe`: admitted only where the kubelet lists it in `allowedUnsafeSysctls`;
 * - `node-level`: cannot be set per pod: the kubelet refuses keys outside the ipc/net groups, and a key this
 *   kernel does not namespace (scope `global`) fails at container start even when allowlisted.
 */
export type KubeletView = 'safe' | 'unsafe' | 'node-level';

export function kubeletViewOf(key: string, scope: Scope, safe: ReadonlySet<string>): KubeletView {
  if (kubeletNamespaceOf(key) === null || scope === 'global') return 'node-level';
  return safe.has(key) ? 'safe' : 'unsafe';
}
