import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { classifyKey } from '../domain/classification/classify-key.js';
import {
  type ProbeListing,
  probeInputFor,
  type ReconciledClassification,
  reconcileClassification,
  summarizeProbe,
} from '../domain/classification/reconcile-classification.js';
import { probeKernel } from '../os/kernel-probe.js';
import { PreflightRepository } from '../storage/preflight.repository.js';
import { SNAPSHOT_SETTINGS, type SnapshotSettings } from './snapshot.tokens.js';

const PROBE_TIMEOUT_MS = 15_000;

export interface ProbeStatus {
  readonly ran: boolean;
  readonly kernelRelease: string | null;
  readonly failure: string | null;
}

/**
 * Classifies keys from the built-in table checked against a read-only probe of this kernel, run once at start
 * (a fresh `unshare --net --ipc --uts` namespace; nothing is written). Without the privilege to probe, the
 * table alone decides and every key's evidence says so.
 */
@Injectable()
export class KeyClassifier {
  private readonly logger = new Logger(KeyClassifier.name);
  private listing: ProbeListing | null = null;
  private status: ProbeStatus = { ran: false, kernelRelease: null, failure: 'not run yet' };

  constructor(
    @Inject(SNAPSHOT_SETTINGS) private readonly settings: SnapshotSettings,
    @Optional() private readonly defaults?: PreflightRepository,
  ) {}

  get probeStatus(): ProbeStatus {
    return this.status;
  }

  async probe(): Promise<void> {
    try {
      const probe = await probeKernel(this.settings.procRoot, PROBE_TIMEOUT_MS);
      this.listing = probe;
      this.status = { ran: true, kernelRelease: probe.kernelRelease, failure: null };
      await this.defaults
        ?.replaceDefaults({ ...probe, probedAt: Date.now() })
        .catch((error: unknown) =>
          this.logger.warn(
            `namespace defaults not stored: ${error instanceof Error ? error.message : String(error)}`,
          ),
        );
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.status = { ran: false, kernelRelease: null, failure: reason };
      this.logger.warn(`kernel probe impossible, classifying from the built-in table: ${reason}`);
    }
  }

  classify(key: string): ReconciledClassification {
    return reconcileClassification(
      key,
      classifyKey(key),
      this.listing ? probeInputFor(key, this.listing) : null,
    );
  }

  /** Logs what the probe established over the given keys. */
  logSummary(keys: Iterable<string>): void {
    const summary = summarizeProbe([...keys].map((key) => ({ key, ...this.classify(key) })));
    this.logger.log(
      `classification (${this.status.ran ? `probe of kernel ${this.status.kernelRelease ?? '?'}` : `built-in table only: ${this.status.failure ?? ''}`}): ${summary.decidedByProbe}/${summary.keys} keys decided by the probe; ` +
        `isolated ${summary.isolated}, mirrored ${summary.mirrored}, absent ${summary.absent}; ` +
        `${summary.disagreements} disagreements with the built-in table${summary.disagreements ? `: ${summary.disagreementKeys.slice(0, 10).join(', ')}` : ''}`,
    );
  }
}
