/** The namespace type that owns a key, or `global` when no namespace does. */
export type Scope = 'net' | 'ipc' | 'uts' | 'user' | 'pid' | 'global';
export const SCOPES: readonly Scope[] = ['net', 'ipc', 'uts', 'user', 'pid', 'global'];

/** How a key looks inside a fresh child namespace of its scope (DESIGN.md vocabulary). */
export type ChildVisibility = 'isolated' | 'mirrored' | 'absent';
export const CHILD_VISIBILITIES: readonly ChildVisibility[] = ['isolated', 'mirrored', 'absent'];

/**
 * How the agent could access a file under /proc/sys when it read it. `secret`: read, but only its digest is
 * kept (src/domain/sysctl/secret-keys.ts), or `unset` when the kernel holds no secret.
 */
export type KeyAccess = 'readable' | 'write-only' | 'unreadable' | 'secret';

/** One file under <procRoot>/sys as the walker found it. `value` is null unless access is `readable`. */
export interface SysctlReading {
  readonly key: string;
  readonly access: KeyAccess;
  readonly value: string | null;
  /** errno code for an unreadable key (EIO for stable_secret, EACCES without privileges). */
  readonly error?: string;
}

/** Where a classification came from: the built-in table of kernel facts, or a probe of the running kernel. */
export type ClassificationSource = 'builtin' | 'probe' | 'observed';

export interface KeyClassification {
  readonly scope: Scope;
  /** A counter rather than a setting: never produces change history. */
  readonly volatile: boolean;
  /** Unknown until a probe (or the built-in table) says; null means not established. */
  readonly childVisibility: ChildVisibility | null;
  readonly source: ClassificationSource;
}
