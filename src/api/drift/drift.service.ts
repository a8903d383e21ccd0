import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../../common/clock.js';
import { DriftRepository } from '../../storage/repositories/drift.repository.js';
import type { ConfiguredView, DriftResult } from './drift.views.js';

/** Drift between runtime values and the boot configuration; database reads only. */
@Injectable()
export class DriftService {
  constructor(
    private readonly repository: DriftRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async drift(at?: number): Promise<DriftResult> {
    const instant = at ?? this.clock.now();
    const rows = await this.repository.at(instant);
    const items = rows.map((r) => ({
      key: r.key,
      runtime: r.runtime,
      configured: r.configured,
      source: { file: r.source_file, line: r.source_line },
      since: new Date(r.valid_from).toISOString(),
      unknownToKernel: r.unknown_to_kernel === 1,
      atReboot: r.at_reboot === 1,
    }));
    return { at: new Date(instant).toISOString(), count: items.length, items };
  }

  /** What the boot configuration sets for `key` now, or null. */
  async configured(key: string): Promise<ConfiguredView | null> {
    const row = await this.repository.configured(key, this.clock.now());
    if (!row) return null;
    return {
      value: row.value,
      source: { file: row.source_file, line: row.source_line },
      glob: row.glob,
      since: new Date(row.valid_from).toISOString(),
    };
  }
}
