import { runCollectors, type TargetCollection } from '../collectors/collector-runner.js';
import type { CollectionTarget, Collector } from '../collectors/collector.js';

/**
 * Runs the collectors on every target, at most `concurrency` targets at a time (as `runCollectorsOnAll`), and
 * hands each target's collection to `reduce` as soon as it is complete; what `reduce` returns is kept, in target
 * order, instead of the collection. A snapshot of a node with 110 pods so holds a few sets' readings at a time,
 * not all of them (README, "Memory").
 */
export async function collectEach<T>(
  collectors: readonly Collector[],
  targets: readonly CollectionTarget[],
  concurrency: number,
  reduce: (collection: TargetCollection, index: number) => Promise<T>,
): Promise<T[]> {
  const results: T[] = new Array<T>(targets.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < targets.length) {
      const index = next++;
      const target = targets[index];
      if (target) results[index] = await reduce(await runCollectors(collectors, target), index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, targets.length)) }, worker));
  return results;
}
