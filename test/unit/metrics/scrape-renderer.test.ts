import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Counter, Registry } from 'prom-client';
import { ScrapeRenderer, singleFlight } from '../../../src/metrics/scrape-renderer.js';

function counting(name: string): { registry: Registry; counter: Counter; collected: () => number } {
  const registry = new Registry();
  let collected = 0;
  const counter = new Counter({
    name,
    help: name,
    registers: [registry],
    collect: () => {
      collected += 1;
    },
  });
  return { registry, counter, collected: () => collected };
}

/** A renderer over two counting registries (TTL 500 ms), its ledger version and clock in the test's hands. */
function rendererOver(ledgerName: string, processName: string) {
  const ledger = counting(ledgerName);
  const proc = counting(processName);
  const state = { version: 0, clock: 0 };
  const renderer = new ScrapeRenderer(ledger.registry, proc.registry, () => state.version, {
    processTtlMs: 500,
    now: () => state.clock,
  });
  return { ledger, proc, state, renderer };
}

test('single flight: concurrent callers share one run, the next caller starts another', async () => {
  let runs = 0;
  const task = singleFlight(async () => {
    runs += 1;
    await new Promise((resolve) => setTimeout(resolve, 5));
    return runs;
  });
  assert.deepEqual(await Promise.all([task(), task(), task()]), [1, 1, 1]);
  assert.equal(await task(), 2);
});

test('the ledger text is rendered once per version, the process text once per TTL', async () => {
  const { ledger, proc, state, renderer } = rendererOver('kernel_ledger_a_total', 'kernel_ledger_b_total');
  const first = await renderer.render();
  assert.match(first, /kernel_ledger_a_total 0\n[\s\S]*kernel_ledger_b_total 0\n/);
  await Promise.all([renderer.render(), renderer.render()]);
  assert.equal(ledger.collected(), 1);
  assert.equal(proc.collected(), 1);

  ledger.counter.inc();
  state.version += 1;
  proc.counter.inc();
  assert.match(await renderer.render(), /kernel_ledger_a_total 1\n[\s\S]*kernel_ledger_b_total 0\n/);
  assert.equal(ledger.collected(), 2);

  state.clock = 499;
  assert.match(await renderer.render(), /kernel_ledger_b_total 0\n/);
  state.clock = 500;
  assert.match(await renderer.render(), /kernel_ledger_b_total 1\n/);
  assert.equal(proc.collected(), 2);
});

test('body: the same UTF-8 bytes, synchronously and encoded once while both texts are fresh', async () => {
  const { ledger, proc, state, renderer } = rendererOver('kernel_ledger_c_total', 'kernel_ledger_d_total');
  const cold = renderer.body();
  assert.ok(cold instanceof Promise, 'nothing rendered yet: the body waits for a render');
  const first = await cold;
  assert.equal(first.toString('utf8'), await renderer.render());
  const warm = renderer.body();
  assert.ok(Buffer.isBuffer(warm));
  assert.equal(warm, first, 'no new encoding while nothing changed');

  state.version += 1;
  ledger.counter.inc();
  const afterSnapshot = renderer.body();
  assert.ok(afterSnapshot instanceof Promise, 'a new ledger version is rendered before it is served');
  assert.match((await afterSnapshot).toString('utf8'), /kernel_ledger_c_total 1\n/);

  state.clock = 500;
  proc.counter.inc();
  assert.match((await renderer.body()).toString('utf8'), /kernel_ledger_d_total 1\n/);
  assert.equal(proc.collected(), 2);
});
