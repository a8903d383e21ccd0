import { Injectable } from '@nestjs/common';
import { LatestStateReader } from '../storage/latest-state.reader.js';
import { MetricsService } from './metrics.service.js';
import { restoredStateOf } from './restored-state.js';

/** Postmortem (read-only) mode takes no snapshot, so the gauges are filled once at start from the database. */
@Injectable()
export class LatestStateLoader {
  constructor(
    private readonly reader: LatestStateReader,
    private readonly metrics: MetricsService,
  ) {}

  async fillFromDatabase(): Promise<void> {
    const { last, sets, owners, samples } = await this.reader.read();
    this.metrics.restore(restoredStateOf(last, sets, owners, samples));
  }
}
