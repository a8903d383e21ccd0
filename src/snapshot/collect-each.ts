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
  let failure: { error: unknown } | null = null;
  const worker = async (): Promise<void> => {
    while (next < targets.length && failure === null) {
      const index = next++;
      const target = targets[index];
      if (!target) continue;
      const collection = await runCollectors(collectors, target);
      try {
        results[index] = await reduce(collection, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  // A failed reduction fails the whole pass, but only once every read in flight has ended: no helper of this
  // snapshot is still running when the next one starts.
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, targets.length)) }, worker));
  if (failure !== null) throw (failure as { error: unknown }).error;
  return results;
}
