import type { TargetCollection } from '../../src/collectors/collector-runner.js';
import type { UsageSample } from '../../src/domain/limits/usage-pairs.js';
import type { NamespaceSet, Owner } from '../../src/domain/namespaces/namespace-types.js';

/** A namespace set for metrics tests: the host, or a child set with the given owners. */
export function namespaceSet(
  identity: string,
  kind: NamespaceSet['kind'],
  owners: readonly Owner[] = [],
): NamespaceSet {
  return {
    identity,
    kind,
    inodes: { net: null, ipc: null, uts: null },
    differingTypes: identity === 'host' ? [] : ['net'],
    entry: {},
    pid: null,
    owners,
  };
}

/** One set's collection as the runner returns it, from sysctl values and collector measures. */
export function collectionOf(
  set: NamespaceSet,
  values: Readonly<Record<string, string>>,
  samples: readonly UsageSample[] = [],
): TargetCollection {
  return {
    target: { set, procRoot: '/proc', timeoutMs: 1000 },
    readings: Object.entries(values).map(([key, value]) => ({ key, access: 'readable', value })),
    samples: [...samples],
    errors: [],
    complete: true,
    method: 'in-process',
  };
}

export const NETNS_BLUE: Owner = { kind: 'netns', name: 'blue', path: '/run/netns/blue' };

export function container(name: string): Owner {
  return {
    kind: 'container',
    id: `${name}-id`,
    name,
    image: 'busybox',
    labels: {},
    pid: 4242,
    networkMode: 'bridge',
    declaredSysctls: {},
  };
}
