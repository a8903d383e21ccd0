import type { KubeletClass } from './preflight-types.js';

/**
 * The kubelet's sysctl admission (kubernetes/kubernetes):
 * - `pkg/kubelet/sysctl/safe_sysctls.go`: the safe set, some entries gated on a minimum kernel version (the
 *   kubelet drops them on older kernels). This is the set of current releases (1.32+: tcp_rmem/tcp_wmem; 1.29+:
 *   the keepalive and fin_timeout keys), the same as Pod Security Admission's baseline policy
 *   (`pod-security-admission/policy/check_sysctls.go`); older kubelets accept fewer.
 * - `component-helpers/node/util/sysctl/namespace.go` `NamespacedBy`: `kernel.sem` and the prefixes
 *   `kernel.shm`, `kernel.msg`, `fs.mqueue.` → ipc, `net.` → net, anything else unknown. Only namespaced keys may
 *   be listed in `--allowed-unsafe-sysctls`.
 * - `pkg/kubelet/sysctl/allowlist.go` `validateSysctl`: a pod is refused (SysctlForbidden) for a key not
 *   allowlisted ("%q not allowlisted") and for an ipc/net key with hostIPC/hostNetwork
 *   ("%q not allowed with host %s enabled").
 */
const SAFE_SYSCTLS: readonly { readonly name: string; readonly kernel?: readonly [number, number] }[] = [
  { name: 'kernel.shm_rmid_forced' },
  { name: 'net.ipv4.ip_local_port_range' },
  { name: 'net.ipv4.tcp_syncookies' },
  { name: 'net.ipv4.ping_group_range' },
  { name: 'net.ipv4.ip_unprivileged_port_start' },
  { name: 'net.ipv4.ip_local_reserved_ports', kernel: [3, 16] },
  { name: 'net.ipv4.tcp_keepalive_time', kernel: [4, 5] },
  { name: 'net.ipv4.tcp_fin_timeout', kernel: [4, 6] },
  { name: 'net.ipv4.tcp_keepalive_intvl', kernel: [4, 5] },
  { name: 'net.ipv4.tcp_keepalive_probes', kernel: [4, 5] },
  { name: 'net.ipv4.tcp_rmem', kernel: [4, 15] },
  { name: 'net.ipv4.tcp_wmem', kernel: [4, 15] },
];

export type KubeletNamespace = 'ipc' | 'net' | null;

/** NamespacedBy: the namespace group the kubelet puts a key in, null when it knows none. */
export function kubeletNamespaceOf(key: string): KubeletNamespace {
  if (key === 'kernel.sem' || key.startsWith('kernel.shm') || key.startsWith('kernel.msg')) return 'ipc';
  if (key.startsWith('fs.mqueue.')) return 'ipc';
  if (key.startsWith('net.')) return 'net';
  return null;
}

/** `6.18.44-fc-v657` → [6, 18]; null when the release does not start with a version. */
export function kernelVersionOf(release: string | null): readonly [number, number] | null {
  const match = /^(\d+)\.(\d+)/.exec(release ?? '');
  return match ? [Number(match[1]), Number(match[2])] : null;
}

function atLeast(version: readonly [number, number], minimum: readonly [number, number]): boolean {
  return version[0] > minimum[0] || (version[0] === minimum[0] && version[1] >= minimum[1]);
}

/** The safe sysctls for this kernel release (gated entries need a known, new enough kernel, as in the kubelet). */
export function safeSysctlsFor(kernelRelease: string | null): ReadonlySet<string> {
  const version = kernelVersionOf(kernelRelease);
  return new Set(
    SAFE_SYSCTLS.filter((s) => !s.kernel || (version !== null && atLeast(version, s.kernel))).map(
      (s) => s.name,
    ),
  );
}

export interface KubeletJudgement {
  readonly kubelet: KubeletClass;
  /** The kubelet's refusal (without a custom allowlist), null when it admits the pod. */
  readonly refusal: string | null;
}

/** How the kubelet treats one key of a pod with the given host namespaces. */
export function judgeForKubelet(
  key: string,
  pod: { readonly hostNetwork: boolean; readonly hostIPC: boolean },
  safe: ReadonlySet<string>,
): KubeletJudgement {
  const namespace = kubeletNamespaceOf(key);
  if (namespace === null) {
    return { kubelet: 'forbidden', refusal: `forbidden sysctl: "${key}" not allowlisted` };
  }
  if ((namespace === 'net' && pod.hostNetwork) || (namespace === 'ipc' && pod.hostIPC)) {
    return {
      kubelet: 'forbidden',
      refusal: `forbidden sysctl: "${key}" not allowed with host ${namespace} enabled`,
    };
  }
  if (safe.has(key)) return { kubelet: 'safe', refusal: null };
  return { kubelet: 'unsafe', refusal: `forbidden sysctl: "${key}" not allowlisted` };
}
