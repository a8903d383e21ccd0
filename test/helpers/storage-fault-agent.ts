import Database from 'better-sqlite3';
import { type RunningAgent, startAgent } from './agent-process.js';
import { FakeProcRoot, isolatedEnv } from './fake-proc-root.js';
import { httpJson, waitFor } from './http-json.js';

export interface StorageHealth {
  status: string;
  details: Record<string, { status: string; message?: string } | undefined>;
  storage: {
    writable: boolean;
    problem: string | null;
    fileFault: string | null;
    consecutiveFailures: number;
    lastCommitAt: string | null;
  };
  lastSnapshot: { id: number } | null;
}

/**
 * The real agent process on a fake procfs root whose 200 settings change every 200 ms, so each snapshot
 * (every second) writes rows. (The kernel log indicator is down on a fake root, so tests read the storage
 * indicator, not the HTTP status.)
 */
export class StorageFaultAgent {
  readonly proc = new FakeProcRoot();
  private generation = 0;
  private readonly churn: NodeJS.Timeout;
  agent!: RunningAgent;

  private constructor(readonly dbPath: string) {
    this.change();
    this.churn = setInterval(() => this.change(), 200);
  }

  static async start(dbPath: string, env: Record<string, string> = {}): Promise<StorageFaultAgent> {
    const fault = new StorageFaultAgent(dbPath);
    try {
      fault.agent = await startAgent({
        ...isolatedEnv(fault.proc.dir, dbPath),
        SNAPSHOT_INTERVAL: '1',
        ...env,
      });
    } catch (error) {
      fault.cleanup();
      throw error;
    }
    return fault;
  }

  get baseUrl(): string {
    return this.agent.baseUrl;
  }

  private change(): void {
    this.generation += 1;
    const values: Record<string, string> = {};
    for (let k = 0; k < 200; k++) values[`fake.churn.key${k}`] = `${this.generation}-${k}-${'v'.repeat(100)}`;
    this.proc.set(values);
  }

  health(): Promise<{ status: number; body: StorageHealth }> {
    return httpJson<StorageHealth>(this.baseUrl, '/api/v1/health');
  }

  /** Polls /health until `accept` holds; returns the milliseconds it took. */
  async healthUntil(
    accept: (status: number, body: StorageHealth) => boolean,
    what: string,
    timeoutMs = 10_000,
  ): Promise<{ ms: number; body: StorageHealth; status: number }> {
    const started = Date.now();
    return waitFor(
      async () => {
        const h = await this.health();
        return accept(h.status, h.body) ? { ms: Date.now() - started, ...h } : undefined;
      },
      timeoutMs,
      what,
    );
  }

  /** Snapshot ids the API serves (newest first, up to 1000). */
  async servedIds(): Promise<number[]> {
    const page = await httpJson<{ items: { id: number }[] }>(this.baseUrl, '/api/v1/snapshots?limit=1000');
    return page.body.items.map((s) => s.id);
  }

  /** Waits until `count` more snapshots than now are served. */
  async moreSnapshots(count: number, timeoutMs = 20_000): Promise<void> {
    const from = (await this.servedIds())[0] ?? 0;
    await waitFor(
      async () => (((await this.servedIds())[0] ?? 0) >= from + count ? true : undefined),
      timeoutMs,
      `${count} more snapshots`,
    );
  }

  cleanup(): void {
    clearInterval(this.churn);
    this.proc.cleanup();
  }
}

/** Snapshot ids in the file, read by another connection (what survives the agent). */
export function snapshotIdsInFile(dbPath: string): number[] {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT id FROM snapshots ORDER BY id DESC').all() as { id: number }[]).map(
      (r) => r.id,
    );
  } finally {
    db.close();
  }
}

/** The ids in `served` that `inFile` lacks (the agent serving what the file does not hold). */
export function missingFromFile(served: readonly number[], inFile: readonly number[]): number[] {
  const held = new Set(inFile);
  return served.filter((id) => !held.has(id));
}
