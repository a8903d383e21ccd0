import { Test } from '@nestjs/testing';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { API_PREFIX, configureApp, loggerOption } from '../../src/app.factory.js';
import { AppModule } from '../../src/app.module.js';
import type { TargetCollection } from '../../src/collectors/collector-runner.js';
import type { CollectionTarget, Collector } from '../../src/collectors/collector.js';
import { defaultCollectors } from '../../src/collectors/collectors.js';
import { validateEnvironment } from '../../src/config/env.schema.js';
import type { UsageSample } from '../../src/domain/limits/usage-pairs.js';
import type { SysctlReading } from '../../src/domain/sysctl/sysctl-types.js';
import { MetricsModule } from '../../src/metrics/metrics.module.js';
import { METRICS_ROUTE } from '../../src/metrics/metrics.route.js';
import { MetricsService } from '../../src/metrics/metrics.service.js';
import { SnapshotService } from '../../src/snapshot/snapshot.service.js';
import { COLLECTORS } from '../../src/snapshot/snapshot.tokens.js';
import type { InProcessAgent } from './in-process-agent.js';

export interface MetricsAgent extends InProcessAgent {
  readonly metrics: MetricsService;
  /** GET /metrics: status, content type and text. */
  scrape(): Promise<{ status: number; contentType: string; text: string }>;
}

/** Records what every collector returned per namespace set, to rebuild a snapshot's collections. */
class CollectionTap {
  private readonly byTarget = new Map<
    string,
    { target: CollectionTarget; readings: SysctlReading[]; samples: UsageSample[] }
  >();

  wrap(collectors: readonly Collector[]): Collector[] {
    return collectors.map((collector) => ({
      id: collector.id,
      collect: async (target) => {
        const output = await collector.collect(target);
        const entry = this.byTarget.get(target.set.identity) ?? { target, readings: [], samples: [] };
        entry.readings.push(...(output.readings ?? []));
        entry.samples.push(...(output.samples ?? []));
        this.byTarget.set(target.set.identity, entry);
        return output;
      },
    }));
  }

  clear(): void {
    this.byTarget.clear();
  }

  collections(): TargetCollection[] {
    return [...this.byTarget.values()].map((e) => ({ ...e, errors: [], complete: true, method: null }));
  }
}

/**
 * Until SnapshotService reports to MetricsService itself (the lead's one-line hook), report each committed
 * snapshot from here, with the collections the tap saw. Once the hook is wired this stays silent.
 */
function reportSnapshotsUntilWired(
  snapshots: SnapshotService,
  metrics: MetricsService,
  tap: CollectionTap,
): void {
  const original = snapshots.runOnce.bind(snapshots);
  let serial: Promise<unknown> = Promise.resolve();
  snapshots.runOnce = (trigger) => {
    const run = serial.then(async () => {
      tap.clear();
      const before = metrics.snapshotsRecorded;
      const summary = await original(trigger);
      if (metrics.snapshotsRecorded === before) metrics.recordSnapshot(summary, tap.collections());
      return summary;
    });
    serial = run.catch(() => undefined);
    return run;
  };
}

/**
 * The real AppModule plus MetricsModule in this process, `/metrics` excluded from the global prefix the way
 * app.factory.ts must do it, listening on a free loopback port.
 */
export async function startMetricsAgent(env: Record<string, string>): Promise<MetricsAgent> {
  const validated = validateEnvironment({ HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', ...env });
  const tap = new CollectionTap();
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(validated), MetricsModule] })
    .overrideProvider(COLLECTORS)
    .useValue(tap.wrap(defaultCollectors()))
    .compile();
  const metrics = moduleRef.get(MetricsService);
  reportSnapshotsUntilWired(moduleRef.get(SnapshotService), metrics, tap);
  const app = configureApp(
    moduleRef.createNestApplication({ logger: loggerOption(validated), bodyParser: false }),
    validated,
  );
  app.setGlobalPrefix(API_PREFIX, { exclude: [METRICS_ROUTE] });
  await app.listen(0, '127.0.0.1');
  const port = ((app.getHttpServer() as Server).address() as AddressInfo).port;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    app,
    baseUrl,
    metrics,
    close: () => app.close(),
    scrape: async () => {
      const response = await fetch(`${baseUrl}/metrics`);
      return {
        status: response.status,
        contentType: response.headers.get('content-type') ?? '',
        text: await response.text(),
      };
    },
  };
}
