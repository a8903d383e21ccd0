import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../migrations/all-migrations.js';
import { Webhooks1764410000000 } from '../../migrations/1764410000000-webhooks.js';

/** True once the lead has registered the webhooks migration in migrations/all-migrations.ts. */
export function webhooksMigrationRegistered(): boolean {
  return (MIGRATIONS as readonly unknown[]).includes(Webhooks1764410000000);
}

/**
 * Runs every migration, the webhooks one included, on a database file before the app opens it. Needed only
 * until the webhooks migration is registered; harmless after (nothing is pending then).
 */
export async function migrateWithWebhooks(dbPath: string): Promise<void> {
  const migrations = webhooksMigrationRegistered() ? [...MIGRATIONS] : [...MIGRATIONS, Webhooks1764410000000];
  const dataSource = new DataSource({
    type: 'better-sqlite3',
    database: dbPath,
    migrations,
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
  });
  await dataSource.initialize();
  try {
    await dataSource.runMigrations();
  } finally {
    await dataSource.destroy();
  }
}
