export interface DiffEntry {
  key: string;
  scope: string;
  /** added | removed | changed between the two instants. */
  kind: string;
  before: string | null;
  after: string | null;
  /** The last time the key's value moved inside the window. */
  changedAt: string;
}

export interface DiffResult {
  namespace: string;
  from: string;
  to: string;
  count: number;
  entries: DiffEntry[];
}
