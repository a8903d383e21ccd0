export interface SnapshotView {
  id: number;
  takenAt: string;
  durationMs: number;
  keysRead: number;
  namespacesRead: number;
  changeCount: number;
  trigger: string;
  errors: unknown[];
  /** How many namespace sets were read by each method (`in-process` for the host, `nsenter` for others). */
  readMethods: Record<string, number>;
}

export interface SnapshotPage {
  items: SnapshotView[];
  /** Pass as `cursor` to get the next (older) page; null on the last page. */
  nextCursor: string | null;
}

export interface SnapshotChange {
  namespace: string;
  key: string;
  scope: string;
  kind: 'added' | 'removed' | 'changed';
  old: string | null;
  new: string | null;
}

export interface SnapshotDetail extends SnapshotView {
  changes: SnapshotChange[];
}
