import type { EntityManager } from 'typeorm';

/** Runs `work` under a savepoint of the open transaction: if it fails, its statements are undone (rethrown). */
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
