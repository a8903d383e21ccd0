import type { Registry } from 'prom-client';

const MAX_RENDER_ATTEMPTS = 3;

/**
 * How long a render of the process series (CPU, memory, heap, handles) is reused. Each render costs about a
 * millisecond of syscalls (cpuUsage, memoryUsage, /proc/self/*); Prometheus scrapes every few seconds at
 * most, so half a second of reuse changes nothing it stores and keeps scrapes cheap under load.
 */
export const PROCESS_TTL_MS = 500;

/** Runs `task` once for every group of concurrent callers: they all get the promise already in flight. */
export function singleFlight<T>(task: () => Promise<T>): () => Promise<T> {
  let inFlight: Promise<T> | null = null;
  return () => {
    inFlight ??= task().finally(() => {
      inFlight = null;
    });
    return inFlight;
  };
}

export interface ScrapeRendererOptions {
  readonly processTtlMs?: number;
  readonly now?: () => number;
}

/**
 * Renders a scrape cheaply. The ledger registry only changes when a snapshot commits (or a webhook attempt
 * ends), so its text is rendered once per version and reused; the process registry is rendered at most once
 * per PROCESS_TTL_MS, and scrapes arriving during a render share it.
 */
export class ScrapeRenderer {
  private ledgerCache: { readonly version: number; readonly text: string } | null = null;
  private processCache: { readonly at: number; readonly text: string } | null = null;
  private joined = { ledger: '', process: '', text: '', body: Buffer.alloc(0) };
  private readonly renderLedger = singleFlight(() => this.freshLedgerText());
  private readonly renderProcess = singleFlight(() => this.freshProcessText());
  private readonly processTtlMs: number;
  private readonly now: () => number;

  constructor(
    private readonly ledger: Registry,
    private readonly processRegistry: Registry,
    private readonly version: () => number,
    options: ScrapeRendererOptions = {},
  ) {
    this.processTtlMs = options.processTtlMs ?? PROCESS_TTL_MS;
    this.now = options.now ?? (() => performance.now());
  }

  async render(): Promise<string> {
    return this.join(...(await Promise.all([this.ledgerText(), this.processText()]))).text;
  }

  /**
   * The scrape as UTF-8 bytes, encoded once per text: synchronously while both cached texts are fresh (nearly
   * every scrape under load, with no promise or string copy per request), else once a render ends.
   */
  body(): Buffer | Promise<Buffer> {
    const ledger = this.freshLedgerCache();
    const process = this.freshProcessCache();
    if (ledger !== null && process !== null) return this.join(ledger, process).body;
    return this.render().then(() => this.joined.body);
  }

  private join(ledger: string, process: string): { readonly text: string; readonly body: Buffer } {
    if (this.joined.ledger !== ledger || this.joined.process !== process) {
      const text = `${ledger}${process}`;
      this.joined = { ledger, process, text, body: Buffer.from(text, 'utf8') };
    }
    return this.joined;
  }

  private freshLedgerCache(): string | null {
    const cached = this.ledgerCache;
    return cached && cached.version === this.version() ? cached.text : null;
  }

  private freshProcessCache(): string | null {
    const cached = this.processCache;
    return cached && this.now() - cached.at < this.processTtlMs ? cached.text : null;
  }

  private ledgerText(): Promise<string> {
    const cached = this.freshLedgerCache();
    return cached !== null ? Promise.resolve(cached) : this.renderLedger();
  }

  private processText(): Promise<string> {
    const cached = this.freshProcessCache();
    return cached !== null ? Promise.resolve(cached) : this.renderProcess();
  }

  /** Renders again when an update lands mid-render, so a scrape never mixes two snapshots (bounded retries). */
  private async freshLedgerText(): Promise<string> {
    let text = '';
    for (let attempt = 0; attempt < MAX_RENDER_ATTEMPTS; attempt += 1) {
      const version = this.version();
      text = await this.ledger.metrics();
      if (this.version() === version) {
        this.ledgerCache = { version, text };
        break;
      }
    }
    return text;
  }

  private async freshProcessText(): Promise<string> {
    const at = this.now();
    const text = await this.processRegistry.metrics();
    this.processCache = { at, text };
    return text;
  }
}
