import 'reflect-metadata';
// First: modules its dependencies require for features it does not use stay unloaded.
import './common/unused-modules.js';
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.factory.js';
import { environmentWithFlags } from './config/cli-overrides.js';
import { LatestStateLoader } from './metrics/latest-state.loader.js';
import { databaseFileProblem } from './storage/database-file-check.js';
import {
  type EnvironmentVariables,
  InvalidEnvironmentError,
  validateEnvironment,
} from './config/env.schema.js';

function configuration(): EnvironmentVariables {
  // SQLite URI filenames (read by better-sqlite3 when its addon loads): postmortem copies open `immutable=1`.
  process.env.SQLITE_USE_URI = '1';
  try {
    const raw = environmentWithFlags(process.argv.slice(2));
    const env = validateEnvironment(raw);
    if (env.READ_ONLY && !existsSync(env.DB_PATH)) {
      throw new InvalidEnvironmentError([
        `DB_PATH=${JSON.stringify(env.DB_PATH)}: no database file to serve in read-only mode`,
      ]);
    }
    const damaged = databaseFileProblem(env.DB_PATH, env.READ_ONLY);
    if (damaged) throw new Error(`${damaged}; restore a backup or salvage it with sqlite3 .recover`);
    return env;
  } catch (error) {
    const message =
      error instanceof InvalidEnvironmentError || error instanceof Error ? error.message : String(error);
    process.stderr.write(`kernel-ledger: refusing to start, ${message}\n`);
    process.exit(2);
  }
}

async function main(): Promise<void> {
  const env = configuration();
  const app = await createApp(env);
  if (env.READ_ONLY) await app.get(LatestStateLoader).fillFromDatabase();
  await app.listen(env.PORT, env.HOST);
  const server = app.getHttpServer() as Server;
  const address = server.address() as AddressInfo;
  const mode = env.READ_ONLY ? ' (read-only postmortem mode)' : '';
  process.stdout.write(`kernel-ledger listening on http://${env.HOST}:${address.port}/api/v1${mode}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `kernel-ledger: failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
