export interface OwnerView {
  kind: string;
  /** Container id, netns name or pid. */
  ref: string;
  name: string;
  image: string | null;
  labels: Record<string, string> | null;
  declaredSysctls: Record<string, string> | null;
  networkMode: string | null;
  pid: number | null;
  firstSeenAt: string;
  lastSeenAt: string;
}

export interface NamespaceView {
  id: number;
  identity: string;
  kind: string;
  inodes: { net: number | null; ipc: number | null; uts: number | null };
  /** Namespace types this set shares with the host (e.g. `net` for a `--network host` container). */
  sharedWithHost: string[];
  /** Other sets in the same network namespace (Docker's `--network container:X` keeps a private IPC/UTS). */
  sharesNetWith: number[];
  owners: OwnerView[];
  firstSeenAt: string;
  lastSeenAt: string;
}

export interface DeclaredMismatch {
  container: string;
  key: string;
  declared: string;
  effective: string | null;
  reason: string;
}

export interface NamespaceDetail extends NamespaceView {
  declaredMismatches: DeclaredMismatch[];
}

export interface EffectiveSettingView {
  key: string;
  scope: string;
  childVisibility: string | null;
  volatile: boolean;
  value: string | null;
  source: string;
  visibleInside: boolean;
}

export interface EffectiveSettingsPage {
  namespace: string;
  at: string;
  count: number;
  items: EffectiveSettingView[];
}
