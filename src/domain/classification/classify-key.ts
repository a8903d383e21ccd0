import type { KeyClassification } from '../sysctl/sysctl-types.js';
import {
  ABSENT_IN_CHILD_NET_KEYS,
  ABSENT_IN_CHILD_NET_SUBTREES,
  type BuiltinOwnership,
  MIRRORED_NET_KEYS,
  NAMESPACED_NON_NET_KEYS,
  NAMESPACED_NON_NET_SUBTREES,
  type NonNetNamespaceScope,
  PER_INTERFACE_NET_PATTERN,
} from './builtin-classification.js';
import { isVolatileKey } from './volatile-keys.js';

const ISOLATED_IN_NETNS: BuiltinOwnership = { scope: 'net', childVisibility: 'isolated' };
const ABSENT_IN_CHILD: BuiltinOwnership = { scope: 'global', childVisibility: 'absent' };
const MIRRORED_IN_CHILD: BuiltinOwnership = { scope: 'global', childVisibility: 'mirrored' };
const GLOBAL_NOT_NET: BuiltinOwnership = { scope: 'global', childVisibility: null };

const NON_NET_SCOPES: readonly NonNetNamespaceScope[] = ['ipc', 'uts', 'user', 'pid'];

const NON_NET_SCOPE_BY_KEY: ReadonlyMap<string, NonNetNamespaceScope> = new Map<string, NonNetNamespaceScope>(
  NON_NET_SCOPES.flatMap((scope) => NAMESPACED_NON_NET_KEYS[scope].map((key) => [key, scope])),
);

function netOwnership(key: string): BuiltinOwnership {
  if (ABSENT_IN_CHILD_NET_SUBTREES.some((prefix) => key.startsWith(prefix))) return ABSENT_IN_CHILD;
  if (PER_INTERFACE_NET_PATTERN.test(key)) return ISOLATED_IN_NETNS;
  if (ABSENT_IN_CHILD_NET_KEYS.has(key)) return ABSENT_IN_CHILD;
  if (MIRRORED_NET_KEYS.has(key)) return MIRRORED_IN_CHILD;
  return ISOLATED_IN_NETNS;
}

function nonNetOwnership(key: string): BuiltinOwnership {
  const scope =
    NON_NET_SCOPE_BY_KEY.get(key) ?? NAMESPACED_NON_NET_SUBTREES.find((s) => key.startsWith(s.prefix))?.scope;
  return scope === undefined ? GLOBAL_NOT_NET : { scope, childVisibility: 'isolated' };
}

/**
 * Classifies a sysctl key from the built-in kernel facts (builtin-classification.ts). Total: any string gets an
 * answer, unknown keys fall back to the defaults documented there. A probe of the running kernel may override it.
 */
export function classifyKey(key: string): KeyClassification {
  const ownership = key.startsWith('net.') ? netOwnership(key) : nonNetOwnership(key);
  return {
    scope: ownership.scope,
    volatile: isVolatileKey(key),
    childVisibility: ownership.childVisibility,
    source: 'builtin',
  };
}
