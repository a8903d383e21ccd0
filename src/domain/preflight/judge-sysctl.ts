import { PER_INTERFACE_NET_PATTERN } from '../classification/builtin-classification.js';
import {
  containerInitFailure,
  dockerCliRefusal,
  isRuncIpcSysctl,
  runcValidationRefusal,
} from './engine-rules.js';
import { judgeForKubelet } from './kubelet-rules.js';
import type {
  KernelFacts,
  KeyFacts,
  PreflightItem,
  PreflightRequest,
  RejectionStage,
} from './preflight-types.js';
import { checkValueFormat, formatOf } from './value-format.js';

const WRITE_BITS = 0o222;
/** A Docker container on one network has `lo` and `eth0`; the probe's fresh namespace has `lo` only. */
const CONTAINER_DEVICES: ReadonlySet<string> = new Set(['all', 'default', 'lo', 'eth0']);

type ChildView =
  | { readonly kind: 'writable' }
  | { readonly kind: 'read-only' }
  | { readonly kind: 'absent'; readonly why: string }
  | { readonly kind: 'unknown' };

/** The key whose facts stand for `key` in a new container: per-interface keys of eth0 → the same key of lo. */
function factsKeyOf(key: string): { readonly key: string; readonly missingDevice: string | null } {
  if (!PER_INTERFACE_NET_PATTERN.test(key)) return { key, missingDevice: null };
  const segments = key.split('.');
  const device = segments[3] ?? '';
  if (!CONTAINER_DEVICES.has(device)) return { key, missingDevice: device.replaceAll('/', '.') };
  if (device === 'eth0') segments[3] = 'lo';
  return { key: segments.join('.'), missingDevice: null };
}

function childViewOf(key: string, facts: KeyFacts | undefined, kernel: KernelFacts): ChildView {
  if (facts === undefined || (!facts.onHost && facts.childMode === undefined)) {
    return kernel.probed || kernel.catalogVisibility.size > 0
      ? { kind: 'absent', why: 'this kernel has no such key' }
      : { kind: 'unknown' };
  }
  if (facts.childMode === null) {
    return { kind: 'absent', why: 'a new namespace does not have this key (it exists for the host only)' };
  }
  if (facts.childMode !== undefined) {
    return (facts.childMode & WRITE_BITS) !== 0 ? { kind: 'writable' } : { kind: 'read-only' };
  }
  const visibility = kernel.catalogVisibility.get(key);
  if (visibility === 'absent')
    return { kind: 'absent', why: 'a new namespace does not have this key (catalog)' };
  if (visibility === 'mirrored') return { kind: 'read-only' };
  if (visibility === 'isolated') return { kind: 'writable' };
  return { kind: 'unknown' };
}

function rejected(
  base: Pick<PreflightItem, 'key' | 'value' | 'kubelet'>,
  stage: RejectionStage,
  reason: string,
  notes: string[],
): PreflightItem {
  return { ...base, verdict: 'rejected', stage, reason, notes };
}

/**
 * The verdict on one `key=value` for the runtime and namespaces of the request, from this kernel's facts:
 * the CLI allowlist (docker), the kubelet (kubernetes), runc's validator, then what container init meets in a
 * new namespace (read-only → EACCES, absent → ENOENT, malformed → EINVAL). The first refusal wins, as in a real
 * start. Nothing is written anywhere.
 */
export function judgeSysctl(
  key: string,
  value: string,
  request: Omit<PreflightRequest, 'sysctls'>,
  kernel: KernelFacts,
  safeSysctls: ReadonlySet<string>,
): PreflightItem {
  const pod = { hostNetwork: request.network === 'host', hostIPC: request.ipc === 'host' };
  const kubelet = judgeForKubelet(key, pod, safeSysctls);
  const base = { key, value, kubelet: kubelet.kubelet };
  const notes: string[] = [];

  if (request.runtime === 'docker') {
    const refusal = dockerCliRefusal(key, value);
    if (refusal !== null) {
      const runc = runcValidationRefusal(key, request);
      notes.push(
        runc === null
          ? 'the Engine API (Docker Compose, SDKs) has no such allowlist and accepts this key (runtime "compose")'
          : `through the Engine API (Docker Compose) runc refuses it too: ${runc}`,
      );
      return rejected(base, 'cli', refusal, notes);
    }
  }
  if (request.runtime === 'kubernetes') {
    if (kubelet.refusal !== null) {
      if (kubelet.kubelet === 'unsafe') {
        notes.push('admitted only on nodes whose kubelet lists it in --allowed-unsafe-sysctls');
      }
      return rejected(base, 'kubelet', kubelet.refusal, notes);
    }
  }
  const validation = runcValidationRefusal(key, request);
  if (validation !== null) return rejected(base, 'runtime-validation', validation, notes);

  const { key: factsKey, missingDevice } = factsKeyOf(key);
  if (missingDevice !== null) {
    notes.push(`a new container has the interfaces lo and eth0 only, not ${missingDevice}`);
    return rejected(
      base,
      'container-init',
      containerInitFailure(key, 'open', 'no such file or directory'),
      notes,
    );
  }
  if (factsKey !== key) notes.push(`judged from ${factsKey}: the probe's fresh namespace has lo only`);
  const facts = kernel.keys.get(factsKey);
  const view = childViewOf(factsKey, facts, kernel);
  if (view.kind === 'absent') {
    notes.push(view.why);
    return rejected(
      base,
      'container-init',
      containerInitFailure(key, 'open', 'no such file or directory'),
      notes,
    );
  }
  if (view.kind === 'read-only') {
    notes.push("a new namespace shows this key read-only: it is the host's global value (mirrored)");
    return rejected(base, 'container-init', containerInitFailure(key, 'open', 'permission denied'), notes);
  }
  if (view.kind === 'unknown') notes.push('no probe of this kernel is stored: visibility not checked');

  const format = checkValueFormat(value, formatOf(facts?.childValue ?? facts?.hostValue ?? null));
  notes.push(...format.notes);
  if (!format.wellFormed) {
    return rejected(base, 'container-init', containerInitFailure(key, 'write', 'invalid argument'), notes);
  }
  if (key === 'kernel.domainname' && request.runtime !== 'docker') {
    notes.push('`docker run --sysctl` refuses this key; the Engine API (Compose) accepts it');
  }
  if (isRuncIpcSysctl(key) || key.startsWith('net.')) {
    notes.push("the value applies to this container's own namespace only");
  }
  return { ...base, verdict: 'ok', stage: null, reason: null, notes };
}
