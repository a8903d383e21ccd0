import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { API_PREFIX } from './app.factory.js';
import { AppModule } from './app.module.js';
import { validateEnvironment } from './config/env.schema.js';
import { METRICS_ROUTE } from './metrics/metrics.route.js';
import { buildApiDocument } from './docs/api-docs.js';

/**
 * `node dist/src/write-api-document.js [file]`: writes the OpenAPI document the agent serves at /docs-json
 * (default `dist/openapi.json`) without a database, a procfs or a port. Nest's preview mode builds the module
 * graph, which is all the document is made from, and instantiates no provider. `npm run lint:openapi` lints it;
 * test/e2e/contract.e2e.test.ts checks it is the document a running agent serves.
 */
async function main(file: string): Promise<void> {
  const env = validateEnvironment({ LOG_LEVEL: 'silent' });
  const app = await NestFactory.create(AppModule.forRoot(env), { preview: true, logger: false });
  app.setGlobalPrefix(API_PREFIX, { exclude: [METRICS_ROUTE] });
  const document = buildApiDocument(app);
  await app.close();
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`);
  process.stdout.write(`wrote ${file}: ${Object.keys(document.paths).length} paths\n`);
}

main(process.argv[2] ?? path.join('dist', 'openapi.json')).catch((error: unknown) => {
  process.stderr.write(`write-api-document: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
