import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Registry } from 'prom-client';
import { LedgerMetrics } from '../../../src/metrics/ledger-metrics.js';
import { MetricsService } from '../../../src/metrics/metrics.service.js';
import type { UsageSeries } from '../../../src/metrics/usage-series.js';
import { collectionOf, container, namespaceSet } from '../../helpers/metrics-collections.js';
import { parseSamples, sampleValue } from '../../helpers/prometheus-text.js';

const WEB = 'net:4026532600/ipc:4026532601/uts:4026532602';

const hostCollection = (allocated: number) =>
  collectionOf(namespaceSet('host', 'host'), {
    'fs.file-nr': `${allocated}\t0\t1000000`,
    'fs.file-max': '1000000',
  });
const webCollection = collectionOf(namespaceSet(WEB, 'container', [container('web')]), {
  'net.netfilter.nf_conntrack_count': '5',
  'net.netfilter.nf_conntrack_max': '100',
});

const summary = (overrides: Partial<{ changeCount: number; errors: unknown[] }> = {}) => ({
  takenAt: Date.parse('2026-11-29T02:10:00Z'),
  durationMs: 420,
  keysRead: 1234,
  changeCount: 7,
  errors: [{ target: 'host', collector: 'conntrack', message: 'ENOENT' }],
  ...overrides,
});

describe('MetricsService', () => {
  test('every series is prefixed kernel_ledger_, process metrics included', async () => {
    const metrics = new MetricsService();
    metrics.recordSnapshot(summary(), [hostCollection(2848)]);
    const samples = parseSamples(await metrics.render());
    assert.ok(samples.length > 20);
    assert.deepEqual(
      samples.filter((s) => !s.name.startsWith('kernel_ledger_')).map((s) => s.name),
      [],
    );
    assert.ok(samples.some((s) => s.name === 'kernel_ledger_process_cpu_user_seconds_total'));
  });

  test('a committed snapshot sets duration, keys, changes, errors, sets and usage', async () => {
    const metrics = new MetricsService();
    metrics.recordSnapshot(summary(), [hostCollection(2848), webCollection]);
    metrics.recordSnapshot(summary({ changeCount: 3, errors: [] }), [hostCollection(2900), webCollection]);
    const s = parseSamples(await metrics.render());
    assert.equal(sampleValue(s, 'kernel_ledger_snapshot_duration_seconds_count'), 2);
    assert.equal(sampleValue(s, 'kernel_ledger_last_snapshot_duration_seconds'), 0.42);
    assert.equal(sampleValue(s, 'kernel_ledger_keys_read'), 1234);
    assert.equal(sampleValue(s, 'kernel_ledger_changes_total'), 10);
    assert.equal(sampleValue(s, 'kernel_ledger_collector_errors_total', { collector: 'conntrack' }), 1);
    assert.equal(sampleValue(s, 'kernel_ledger_namespace_sets', { kind: 'container' }), 1);
    assert.equal(sampleValue(s, 'kernel_ledger_namespace_sets', { kind: 'netns' }), 0);
    const hostFiles = { metric: 'files.allocated', namespace: 'host', owner: 'host' };
    assert.equal(sampleValue(s, 'kernel_ledger_usage', hostFiles), 2900);
    assert.equal(sampleValue(s, 'kernel_ledger_limit', hostFiles), 1_000_000);
    assert.equal(sampleValue(s, 'kernel_ledger_usage_ratio', hostFiles), 0.0029);
    const web = { metric: 'conntrack.entries', namespace: WEB, owner: 'web' };
    assert.equal(sampleValue(s, 'kernel_ledger_usage_ratio', web), 0.05);
    assert.equal(metrics.snapshotsRecorded, 2);
  });

  test('a namespace set that vanished disappears from the output', async () => {
    const metrics = new MetricsService();
    metrics.recordSnapshot(summary(), [hostCollection(2848), webCollection]);
    assert.match(await metrics.render(), /owner="web"/);
    metrics.recordSnapshot(summary(), [hostCollection(2848)]);
    const text = await metrics.render();
    assert.doesNotMatch(text, /owner="web"/);
    assert.doesNotMatch(text, new RegExp(WEB.replaceAll('/', '\\/')));
    assert.match(text, /kernel_ledger_usage\{metric="files.allocated",namespace="host",owner="host"\} 2848/);
  });

  test('skipped ticks and webhook outcomes count', async () => {
    const metrics = new MetricsService();
    metrics.recordSkippedTick();
    metrics.recordSkippedTick();
    metrics.recordWebhookDelivery('delivered');
    metrics.recordWebhookDelivery('pending');
    metrics.recordWebhookDelivery('pending');
    metrics.recordWebhookDelivery('failed');
    const s = parseSamples(await metrics.render());
    assert.equal(sampleValue(s, 'kernel_ledger_skipped_ticks_total'), 2);
    assert.equal(sampleValue(s, 'kernel_ledger_webhook_deliveries_total', { outcome: 'delivered' }), 1);
    assert.equal(sampleValue(s, 'kernel_ledger_webhook_deliveries_total', { outcome: 'retry' }), 2);
    assert.equal(sampleValue(s, 'kernel_ledger_webhook_deliveries_total', { outcome: 'failed' }), 1);
  });

  test('concurrent scrapes share a render and an update is visible to the next scrape', async () => {
    const metrics = new MetricsService();
    metrics.recordSnapshot(summary(), [hostCollection(1)]);
    const texts = await Promise.all(Array.from({ length: 20 }, () => metrics.render()));
    assert.equal(new Set(texts).size, 1);
    metrics.recordSnapshot(summary(), [hostCollection(2)]);
    const s = parseSamples(await metrics.render());
    assert.equal(sampleValue(s, 'kernel_ledger_usage', { metric: 'files.allocated', owner: 'host' }), 2);
  });

  test('a bad input never throws into the snapshot that reported it', () => {
    const metrics = new MetricsService();
    assert.doesNotThrow(() =>
      metrics.recordSnapshot(summary(), [{ target: null } as unknown as ReturnType<typeof collectionOf>]),
    );
  });

  test('restore fills the gauges from stored state, counters stay at zero', async () => {
    const metrics = new MetricsService();
    metrics.restore({
      lastSnapshot: { takenAt: 1_000_000, durationMs: 50, keysRead: 99 },
      setKinds: ['host', 'netns'],
      usage: [
        { metric: 'files.allocated', namespace: 'host', owner: 'host', usage: 5, limit: 10, ratio: 0.5 },
      ],
    });
    const s = parseSamples(await metrics.render());
    assert.equal(sampleValue(s, 'kernel_ledger_keys_read'), 99);
    assert.equal(sampleValue(s, 'kernel_ledger_namespace_sets', { kind: 'netns' }), 1);
    assert.equal(sampleValue(s, 'kernel_ledger_usage_ratio', { metric: 'files.allocated' }), 0.5);
    assert.equal(sampleValue(s, 'kernel_ledger_changes_total'), 0);
    assert.equal(sampleValue(s, 'kernel_ledger_snapshot_duration_seconds_count'), 0);
    assert.equal(sampleValue(s, 'kernel_ledger_webhook_deliveries_total', { outcome: 'failed' }), 0);
  });
});

describe('LedgerMetrics.replaceUsage', () => {
  const series = (usage: number, ratio: number | null): UsageSeries => ({
    metric: 'conntrack.entries',
    namespace: WEB,
    owner: 'web',
    usage,
    limit: 100,
    ratio,
  });
  const render = async (ledger: LedgerMetrics) => parseSamples(await ledger.registry.metrics());
  const web = { metric: 'conntrack.entries', namespace: WEB, owner: 'web' };

  test('a series set again only when it moved: the same, a new value, a ratio gone, the series gone', async () => {
    const ledger = new LedgerMetrics(new Registry());
    ledger.replaceUsage([series(5, 0.05)]);
    ledger.replaceUsage([series(5, 0.05)]);
    assert.equal(sampleValue(await render(ledger), 'kernel_ledger_usage', web), 5);
    ledger.replaceUsage([series(7, 0.07)]);
    let s = await render(ledger);
    assert.equal(sampleValue(s, 'kernel_ledger_usage', web), 7);
    assert.equal(sampleValue(s, 'kernel_ledger_usage_ratio', web), 0.07);
    ledger.replaceUsage([series(7, null)]);
    s = await render(ledger);
    assert.equal(sampleValue(s, 'kernel_ledger_usage', web), 7);
    assert.equal(s.filter((x) => x.name === 'kernel_ledger_usage_ratio').length, 0, 'no ratio left');
    ledger.replaceUsage([series(7, 0.5), series(7, null)]);
    s = await render(ledger);
    assert.equal(
      s.filter((x) => x.name === 'kernel_ledger_usage_ratio').length,
      0,
      'given twice: the later wins',
    );
    ledger.replaceUsage([]);
    s = await render(ledger);
    assert.equal(
      s.filter((x) => x.name.startsWith('kernel_ledger_usage') || x.name === 'kernel_ledger_limit').length,
      0,
    );
  });
});
