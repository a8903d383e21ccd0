export const COLLECTORS = Symbol('COLLECTORS');
export const SNAPSHOT_SETTINGS = Symbol('SNAPSHOT_SETTINGS');

export interface SnapshotSettings {
  readonly procRoot: string;
  readonly intervalSeconds: number;
}
