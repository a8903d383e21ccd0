import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BaselinesService } from '../src/api/baselines/baselines.service.js';
import { ExportService } from '../src/api/baselines/export.service.js';
import { IncidentsService } from '../src/api/incidents/incidents.service.js';
import { compileOfflineAppModule } from './offline-app-module.js';
import { MINUTE_MS } from './synthetic-history.js';

const HOUR_MS = 60 * MINUTE_MS;

/** One incident report the API figure measures. */
export interface ReportCase {
  readonly name: string;
  readonly path: string;
}

/** The set the scoped incidents name (a netns set of the synthetic history). */
export const REPORT_SET = 'synthetic-7';
export const REPORT_BASELINE = 'bench-first-snapshot';

/**
 * The incidents of typical reports, created through IncidentsService on the synthetic history (before the
 * agent serves it read-only): windows of 30 min and 2 h ending 30 min before the history's end, and a long one
 * of 24 h, for the whole host and for one set; the 2-h ones also against a baseline (the host as exported at
 * the history's first snapshot, imported through BaselinesService). Migrations run here, as at any start.
 */
export async function createReportIncidents(
  dbPath: string,
  history: { readonly startAt: number; readonly snapshots: number },
): Promise<ReportCase[]> {
  const endAt = history.startAt + (history.snapshots - 1) * MINUTE_MS;
  const scratch = mkdtempSync(path.join(tmpdir(), 'kl-bench-report-'));
  const moduleRef = await compileOfflineAppModule(dbPath, scratch);
  try {
    const incidents = moduleRef.get(IncidentsService, { strict: false });
    const bundle = await moduleRef
      .get(ExportService, { strict: false })
      .export({ at: history.startAt + 30_000 });
    await moduleRef
      .get(BaselinesService, { strict: false })
      .import({ name: REPORT_BASELINE, replace: 'true' }, bundle);
    const cases: ReportCase[] = [];
    const windows = [
      { label: '30 min', length: 30 * MINUTE_MS, baseline: false },
      { label: '2 h', length: 2 * HOUR_MS, baseline: false },
      { label: '2 h', length: 2 * HOUR_MS, baseline: true },
      { label: '24 h', length: 24 * HOUR_MS, baseline: false },
    ];
    for (const namespace of [undefined, REPORT_SET]) {
      for (const w of windows) {
        const ended = endAt - 30 * MINUTE_MS;
        const created = await incidents.create({
          title: `bench: ${w.label} ${namespace ?? 'host-wide'}`,
          startedAt: new Date(ended - w.length).toISOString(),
          endedAt: new Date(ended).toISOString(),
          ...(namespace ? { namespace } : {}),
        });
        const where = namespace ? `set ${namespace}` : 'host-wide';
        cases.push({
          name: `GET /incidents/:id/report (${where}, ${w.label}${w.baseline ? ', baseline=' : ''})`,
          path: `/api/v1/incidents/${created.id}/report${w.baseline ? `?baseline=${REPORT_BASELINE}` : ''}`,
        });
      }
    }
    return cases;
  } finally {
    await moduleRef.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}
