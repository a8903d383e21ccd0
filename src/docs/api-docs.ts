import type { INestApplication } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { EnvironmentVariables } from '../config/env.schema.js';
import { bearerOf, tokenMatches } from '../domain/access/bearer-token.js';
import { NAMESPACE_FORMS, TIME_FORMATS } from './api-doc-texts.js';
import { documentSharedResponses } from './api-shared-responses.js';
import { strictNullables } from './strict-nullables.js';

/** Swagger UI at the root (like /metrics); the API it describes stays under /api/v1. */
export const DOCS_PATH = 'docs';
/** The OpenAPI document as JSON. */
export const DOCS_JSON_PATH = 'docs-json';

const TAGS: readonly (readonly [string, string])[] = [
  ['snapshots', 'Snapshots of every sysctl, and the changes each recorded'],
  ['settings', 'The key catalog, values at an instant, and value history'],
  ['diff', 'What changed between two instants, two namespace sets, or this host and a baseline'],
  ['namespaces', 'Namespace sets (host, containers, named netns) and the settings in force inside them'],
  ['shared', 'Global and mirrored keys that containers share with the host'],
  ['drift', 'Runtime values that differ from what the boot configuration (sysctl.d) would set'],
  ['preflight', 'Will these sysctls be accepted here, and what will a new container not inherit?'],
  ['limits', 'Usage against kernel limits, now and over time'],
  ['kernel-events', 'Kernel log events (table full, out of memory…) tied to the keys behind them'],
  ['incidents', 'Incidents and their reports: ranked suspects with evidence'],
  ['export', 'Portable bundles of one instant'],
  ['baselines', 'Imported bundles to compare this host with'],
  ['webhooks', 'Event subscriptions and their delivery logs'],
  ['health', 'Liveness and readiness'],
  ['metrics', 'Prometheus scrape endpoint (at the root, not under /api/v1)'],
];

const DESCRIPTION = `kernel-ledger records every sysctl the Linux kernel runs with, on the host and inside every namespace set
(containers, named netns), as a change-only history in SQLite, with usage samples next to their limits and the
kernel log events that name them. It answers "what was the kernel configured to do, and what changed?" long after
the fact: values at an instant, value history, diffs between instants, namespace sets or an imported baseline,
usage against limits, and incident reports ranking the settings that explain a failure.

**Times** (\`at\`, \`from\`, \`to\`, \`startedAt\`…): ${TIME_FORMATS}

**Namespace parameters** (\`namespace\`, \`ns\`, \`a\`, \`b\`): ${NAMESPACE_FORMS}

**Errors**: bad input is answered 400 with a message naming the parameter, an unknown resource 404; every error body
is JSON \`{statusCode, error, message}\`, for example
\`{"statusCode": 400, "error": "Bad Request", "message": "from: '-15x' is not a time: …"}\`.

**Access**: with \`API_TOKEN\` set, every mutating request (POST, PATCH, DELETE) needs \`Authorization: Bearer <API_TOKEN>\`
(401 otherwise; 403 for the read token); with \`AUTH_READS=true\` reads, these docs included, need \`API_TOKEN\` or
\`API_READ_TOKEN\`. In postmortem mode (\`READ_ONLY=true\`) mutating routes answer 405. A request whose \`Host\` does
not name the agent (its bound address, localhost, or an \`ALLOWED_HOSTS\` entry) answers 421: DNS rebinding protection.`;

/** The package's version and license, from the package.json above this file (dist/src/docs or src/docs). */
function packageFacts(): { version: string; license: string } {
  for (let dir = import.meta.dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as {
        name?: string;
        version?: string;
        license?: string;
      };
      if (pkg.name === 'kernel-ledger' && pkg.version)
        return { version: pkg.version, license: pkg.license ?? 'UNLICENSED' };
    }
    if (path.dirname(dir) === dir) return { version: '0.0.0', license: 'UNLICENSED' };
  }
}

/** The OpenAPI document of every route the application serves, built from the controllers and DTOs. */
export function buildApiDocument(app: INestApplication): OpenAPIObject {
  const pkg = packageFacts();
  const builder = new DocumentBuilder()
    .setTitle('kernel-ledger')
    .setDescription(DESCRIPTION)
    .setVersion(pkg.version)
    // Relative: the agent that serves this document is the server it describes, wherever it listens.
    .addServer('/', 'This agent')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        description:
          'API_TOKEN: needed for mutations when set; API_TOKEN or API_READ_TOKEN for reads with AUTH_READS=true.',
      },
      'bearer',
    );
  for (const [name, description] of TAGS) builder.addTag(name, description);
  const document = SwaggerModule.createDocument(app, builder.build(), {
    operationIdFactory: (controllerKey, methodKey) =>
      `${controllerKey.replace(/Controller$/, '')}_${methodKey}`,
  });
  // A token is optional unless the agent is configured to need one: bearer, or nothing.
  document.security = [{ bearer: [] }, {}];
  document.info.license = { name: pkg.license };
  return documentSharedResponses(strictNullables(document));
}

/**
 * Serves Swagger UI at /docs and the spec at /docs-json (assets from swagger-ui-dist, no network). These routes
 * are served by Express directly, outside the Nest guards: with API_TOKEN and AUTH_READS=true they need a read
 * token like every other read. The document is built at the first request for it, not at start: an agent whose
 * docs nobody reads does not keep it (README, "Memory").
 */
export function setupApiDocs(app: INestApplication): void {
  app.use([`/${DOCS_PATH}`, `/${DOCS_JSON_PATH}`], docsAccess(readConfig(app)));
  SwaggerModule.setup(DOCS_PATH, app, () => buildApiDocument(app), {
    useGlobalPrefix: false,
    jsonDocumentUrl: DOCS_JSON_PATH,
    raw: ['json'],
    customSiteTitle: 'kernel-ledger API',
    swaggerOptions: { persistAuthorization: true },
  });
}

interface DocsAccessConfig {
  readonly token: string | undefined;
  readonly readToken: string | undefined;
  readonly authReads: boolean;
}

function readConfig(app: INestApplication): DocsAccessConfig {
  let config: ConfigService<EnvironmentVariables, true> | undefined;
  try {
    config = app.get<ConfigService<EnvironmentVariables, true>>(ConfigService, { strict: false });
  } catch {
    config = undefined;
  }
  return {
    token: config?.get('API_TOKEN', { infer: true }),
    readToken: config?.get('API_READ_TOKEN', { infer: true }),
    authReads: config?.get('AUTH_READS', { infer: true }) ?? false,
  };
}

/** The AccessGuard rule for reads, for the docs routes the guard does not see. */
function docsAccess(config: DocsAccessConfig) {
  return (request: Request, response: Response, next: NextFunction): void => {
    if (!config.token || !config.authReads) return next();
    const presented = bearerOf(request.headers.authorization);
    if (tokenMatches(presented, config.token) || tokenMatches(presented, config.readToken)) return next();
    response.status(401).json({
      statusCode: 401,
      error: 'Unauthorized',
      message: 'reads need Authorization: Bearer <API_TOKEN or API_READ_TOKEN>',
    });
  };
}
