import type { EntityManager } from 'typeorm';

/**
 * Runs `work` inside the open transaction under a savepoint: should it fail, its statements are undone and
 * the error is rethrown, and the transaction goes on as if `work` had never run.
 */
export async function withSavepoint<T>(em: EntityManager, work: () => Promise<T>): Promise<T> {
  await em.query(`SAVEPOINT "event_consumer"`);
  try {
    const result = await work();
    await em.query(`RELEASE SAVEPOINT "event_consumer"`);
    return result;
  } catch (error) {
    await em.query(`ROLLBACK TO SAVEPOINT "event_consumer"`);
    await em.query(`RELEASE SAVEPOINT "event_consumer"`);
    throw error;
  }
}
