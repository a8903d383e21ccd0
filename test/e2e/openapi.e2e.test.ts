import SwaggerParser from '@apidevtools/swagger-parser';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { type RunningAgent, startAgent, tempDatabase } from '../helpers/agent-process.js';
import { FakeProcRoot, isolatedEnv } from '../helpers/fake-proc-root.js';
import { repoPath } from '../helpers/repo-path.js';

/**
 * Every route the controllers declare, written out by hand: the spec must list exactly these (nothing missing,
 * nothing invented), and the running agent must serve each of them.
 */
const ROUTES = [
  'GET /metrics',
  'GET /api/v1/health',
  'GET /api/v1/snapshots',
  'POST /api/v1/snapshots',
  'GET /api/v1/snapshots/{id}',
  'GET /api/v1/settings',
  'GET /api/v1/settings/{key}',
  'GET /api/v1/settings/{key}/history',
  'GET /api/v1/diff',
  'GET /api/v1/diff/namespaces',
  'GET /api/v1/diff/baseline/{name}',
  'GET /api/v1/namespaces',
  'GET /api/v1/namespaces/{ns}',
  'GET /api/v1/namespaces/{ns}/settings',
  'GET /api/v1/namespaces/{ns}/not-inherited',
  'POST /api/v1/preflight',
  'GET /api/v1/not-inherited',
  'GET /api/v1/drift',
  'GET /api/v1/shared',
  'GET /api/v1/limits',
  'GET /api/v1/usage',
  'GET /api/v1/kernel-events',
  'POST /api/v1/incidents',
  'GET /api/v1/incidents',
  'GET /api/v1/incidents/{id}',
  'PATCH /api/v1/incidents/{id}',
  'DELETE /api/v1/incidents/{id}',
  'GET /api/v1/incidents/{id}/report',
  'GET /api/v1/export',
  'POST /api/v1/baselines',
  'GET /api/v1/baselines',
  'GET /api/v1/baselines/{name}',
  'DELETE /api/v1/baselines/{name}',
  'POST /api/v1/webhooks',
  'GET /api/v1/webhooks',
  'GET /api/v1/webhooks/{id}',
  'PATCH /api/v1/webhooks/{id}',
  'DELETE /api/v1/webhooks/{id}',
  'POST /api/v1/webhooks/{id}/test',
  'GET /api/v1/webhooks/{id}/deliveries',
  'POST /api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver',
];

/** Query parameters that must be documented on the routes that take them. */
const QUERY_PARAMETERS: Readonly<Record<string, readonly string[]>> = {
  'GET /api/v1/snapshots': ['from', 'to', 'limit', 'cursor'],
  'GET /api/v1/snapshots/{id}': ['limit', 'cursor', 'interfaces'],
  'GET /api/v1/settings': ['prefix', 'scope', 'q', 'at', 'namespace'],
  'GET /api/v1/settings/{key}/history': ['from', 'to', 'namespace'],
  'GET /api/v1/diff': ['from', 'to', 'namespace', 'limit', 'cursor', 'interfaces'],
  'GET /api/v1/diff/namespaces': ['a', 'b', 'at', 'interfaces'],
  'GET /api/v1/diff/baseline/{name}': ['at', 'scope', 'interfaces'],
  'GET /api/v1/namespaces': ['at'],
  'GET /api/v1/namespaces/{ns}': ['at'],
  'GET /api/v1/namespaces/{ns}/settings': ['at', 'prefix', 'limit', 'cursor'],
  'GET /api/v1/shared': ['at'],
  'GET /api/v1/drift': ['at'],
  'GET /api/v1/limits': ['at', 'namespace'],
  'GET /api/v1/usage': ['metric', 'namespace', 'from', 'to', 'points'],
  'GET /api/v1/kernel-events': ['from', 'to', 'signature', 'namespace', 'limit'],
  'GET /api/v1/incidents': ['from', 'to', 'limit'],
  'GET /api/v1/incidents/{id}/report': ['lookback', 'baseline', 'limit'],
  'GET /api/v1/export': ['at', 'namespaces'],
  'POST /api/v1/baselines': ['name', 'replace'],
  'GET /api/v1/webhooks/{id}/deliveries': ['status', 'limit', 'cursor'],
};

/** Sample path values, to call each route for real. */
const SAMPLE_PATH_VALUES: Readonly<Record<string, string>> = {
  id: '999999',
  key: 'kernel.ostype',
  name: 'no-such-baseline',
  ns: 'host',
  deliveryId: '00000000-0000-4000-8000-000000000000',
};

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  example?: unknown;
  schema?: Record<string, unknown>;
}

interface Operation {
  tags?: string[];
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<string, { description?: string; content?: Record<string, { schema?: unknown }> }>;
}

interface Spec {
  openapi: string;
  info: { title: string; description: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, { properties?: Record<string, { description?: string; example?: unknown }> }>;
    securitySchemes?: Record<string, { type: string; scheme?: string }>;
  };
  tags?: { name: string }[];
}

/** The document type the validator takes. */
type OpenApiDocument = InstanceType<typeof SwaggerParser>['api'];

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

function operations(spec: Spec): Map<string, Operation> {
  const found = new Map<string, Operation>();
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (operation) found.set(`${method.toUpperCase()} ${path}`, operation);
    }
  }
  return found;
}

function operationOf(spec: Spec, route: string): Operation {
  const operation = operations(spec).get(route);
  assert.ok(operation, `${route} is in the spec`);
  return operation;
}

describe('GET /docs and /docs-json: the OpenAPI document of every route', () => {
  const db = tempDatabase('openapi');
  const proc = new FakeProcRoot({ 'kernel.ostype': 'Linux', 'fs.file-max': '10000' });
  let agent: RunningAgent;
  let spec: Spec;

  before(async () => {
    agent = await startAgent(isolatedEnv(proc.dir, db.dbPath));
    const response = await fetch(`${agent.baseUrl}/docs-json`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    spec = (await response.json()) as Spec;
  });

  after(async () => {
    await agent?.stop();
    db.cleanup();
    proc.cleanup();
  });

  test('the spec passes a real OpenAPI validator (@apidevtools/swagger-parser)', async () => {
    assert.match(spec.openapi, /^3\.0\.\d+$/);
    // validate() dereferences in place: give it a copy.
    await SwaggerParser.validate(structuredClone(spec) as unknown as OpenApiDocument);
  });

  test('title, description, package version, bearer scheme and one tag per resource', () => {
    const pkg = JSON.parse(readFileSync(repoPath('package.json'), 'utf8')) as { version: string };
    assert.equal(spec.info.title, 'kernel-ledger');
    assert.equal(spec.info.version, pkg.version);
    for (const needle of [
      'ISO-8601',
      'epoch milliseconds',
      '-15m',
      'container name',
      '{statusCode, error, message}',
    ]) {
      assert.ok(spec.info.description.includes(needle), `the description mentions ${needle}`);
    }
    const bearer = spec.components.securitySchemes?.['bearer'];
    assert.equal(bearer?.type, 'http');
    assert.equal(bearer?.scheme, 'bearer');
    const tags = new Set(spec.tags?.map((t) => t.name));
    for (const [route, operation] of operations(spec)) {
      assert.ok(operation.tags?.length, `${route} has a tag`);
      for (const tag of operation.tags ?? []) assert.ok(tags.has(tag), `${route}: tag ${tag} is declared`);
    }
  });

  test('lists exactly the routes of the controllers, /metrics included, none invented', () => {
    assert.deepEqual([...operations(spec).keys()].sort(), [...ROUTES].sort());
  });

  test('the agent serves every listed route (none answers "Cannot METHOD path")', async () => {
    for (const route of ROUTES) {
      const [method = 'GET', template = ''] = route.split(' ');
      const path = template.replace(/\{(\w+)\}/g, (_, name: string) => SAMPLE_PATH_VALUES[name] ?? 'x');
      const response = await fetch(`${agent.baseUrl}${path}`, {
        method,
        ...(method === 'GET' || method === 'DELETE'
          ? {}
          : { headers: { 'content-type': 'application/json' }, body: '{}' }),
      });
      const text = await response.text();
      assert.doesNotMatch(text, /Cannot (GET|POST|PATCH|DELETE) /, `${route} is served (${response.status})`);
      // /health answers 503 on this fake procfs (no kernel log): documented, and still the route.
      const allowed = route === 'GET /api/v1/health' ? [503] : [];
      assert.ok(
        response.status < 500 || allowed.includes(response.status),
        `${route} answers ${response.status}: ${text.slice(0, 200)}`,
      );
    }
  });

  test('time and namespace query parameters appear on the routes that take them', () => {
    for (const [route, names] of Object.entries(QUERY_PARAMETERS)) {
      const query = (operationOf(spec, route).parameters ?? []).filter((p) => p.in === 'query');
      assert.deepEqual(query.map((p) => p.name).sort(), [...names].sort(), route);
    }
  });

  test('every parameter has a description and an example; path parameters are required', () => {
    for (const [route, operation] of operations(spec)) {
      for (const parameter of operation.parameters ?? []) {
        const where = `${route} ${parameter.in} ${parameter.name}`;
        assert.ok(parameter.description, `${where} has a description`);
        assert.notEqual(
          parameter.example ?? parameter.schema?.['example'],
          undefined,
          `${where} has an example`,
        );
        if (parameter.in === 'path') assert.equal(parameter.required, true, `${where} is required`);
      }
    }
    for (const [route, operation] of operations(spec)) {
      const inPath = [...route.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const declared = (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
      assert.deepEqual(declared.sort(), inPath.sort(), `${route} declares its path parameters`);
    }
    const from = operationOf(spec, 'GET /api/v1/diff').parameters?.find((p) => p.name === 'from');
    assert.equal(from?.required, true, '/diff needs from');
    assert.match(from?.description ?? '', /ISO-8601/);
  });

  test('bodies are documented with examples from the DTOs', () => {
    for (const [route, schema] of [
      ['POST /api/v1/incidents', 'CreateIncidentDto'],
      ['PATCH /api/v1/incidents/{id}', 'UpdateIncidentDto'],
      ['POST /api/v1/webhooks', 'CreateWebhookBody'],
      ['PATCH /api/v1/webhooks/{id}', 'UpdateWebhookBody'],
      ['POST /api/v1/baselines', 'BundleView'],
      ['POST /api/v1/preflight', 'PreflightBody'],
    ] as const) {
      const body = operationOf(spec, route).requestBody?.content['application/json']?.schema;
      assert.deepEqual(body, { $ref: `#/components/schemas/${schema}` }, route);
      const properties = spec.components.schemas[schema]?.properties ?? {};
      assert.ok(Object.keys(properties).length > 0, `${schema} has properties`);
      for (const [name, property] of Object.entries(properties)) {
        // A nested object or a list of them is a $ref: its own schema carries the examples.
        if (JSON.stringify(property).includes('"$ref"')) continue;
        assert.notEqual(property.example, undefined, `${schema}.${name} has an example`);
      }
    }
    assert.deepEqual(Object.keys(spec.components.schemas['CreateIncidentDto']?.properties ?? {}).sort(), [
      'endedAt',
      'namespace',
      'startedAt',
      'symptoms',
      'title',
    ]);
  });

  test('responses: typed 2xx bodies, 201/202/204 where the routes use them, example error bodies', () => {
    const expectedStatus: Readonly<Record<string, string>> = {
      'POST /api/v1/snapshots': '201',
      'POST /api/v1/incidents': '201',
      'POST /api/v1/baselines': '201',
      'POST /api/v1/webhooks': '201',
      'POST /api/v1/webhooks/{id}/test': '202',
      'POST /api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver': '202',
      'DELETE /api/v1/incidents/{id}': '204',
      'DELETE /api/v1/baselines/{name}': '204',
      'DELETE /api/v1/webhooks/{id}': '204',
    };
    for (const [route, operation] of operations(spec)) {
      const success = Object.keys(operation.responses).filter((status) => status.startsWith('2'));
      assert.deepEqual(success, [expectedStatus[route] ?? '200'], `${route} success status`);
      const status = success[0] ?? '';
      if (status === '204') continue;
      const content = operation.responses[status]?.content ?? {};
      const schema = Object.values(content)[0]?.schema;
      assert.ok(schema, `${route} documents its ${status} body`);
    }
    const notFound = operationOf(spec, 'GET /api/v1/settings/{key}').responses['404'];
    const example = notFound?.content?.['application/json'] as { example?: unknown; schema?: unknown };
    assert.deepEqual(example.schema, { $ref: '#/components/schemas/ApiErrorBody' });
    assert.deepEqual(Object.keys(example.example as object).sort(), ['error', 'message', 'statusCode']);
    assert.ok(operationOf(spec, 'GET /api/v1/diff').responses['400'], '/diff documents its 400');
    assert.ok(operationOf(spec, 'GET /api/v1/health').responses['503'], '/health documents its 503');
  });

  test('/docs serves the Swagger UI page and its assets, from the agent itself', async () => {
    const page = await fetch(`${agent.baseUrl}/docs`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    const html = await page.text();
    assert.match(html, /swagger/i);
    assert.doesNotMatch(html, /https?:\/\/(?!127\.0\.0\.1)[^"']*\.(js|css)/, 'no asset from the network');
    for (const asset of ['swagger-ui-bundle.js', 'swagger-ui.css', 'swagger-ui-init.js']) {
      const response = await fetch(`${agent.baseUrl}/docs/${asset}`);
      assert.equal(response.status, 200, asset);
      await response.arrayBuffer();
    }
    const init = await (await fetch(`${agent.baseUrl}/docs/swagger-ui-init.js`)).text();
    assert.match(init, /"\/api\/v1\/snapshots"/, 'the UI is initialised with the same spec');
    const prefixed = await fetch(`${agent.baseUrl}/api/v1/docs`);
    assert.equal(prefixed.status, 404, 'the docs are at the root, not under /api/v1');
    await prefixed.arrayBuffer();
  });
});

describe('/docs with API_TOKEN and AUTH_READS: the docs are reads', () => {
  const TOKEN = 'docs-admin-token-0123456789';
  const READ_TOKEN = 'docs-read-token-0123456789';
  const db = tempDatabase('openapi-auth');
  const proc = new FakeProcRoot({ 'kernel.ostype': 'Linux' });
  let agent: RunningAgent;

  before(async () => {
    agent = await startAgent({
      ...isolatedEnv(proc.dir, db.dbPath),
      API_TOKEN: TOKEN,
      API_READ_TOKEN: READ_TOKEN,
      AUTH_READS: 'true',
    });
  });

  after(async () => {
    await agent?.stop();
    db.cleanup();
    proc.cleanup();
  });

  test('without a token: 401 with the JSON error body; with either token: served', async () => {
    for (const path of ['/docs', '/docs-json', '/docs/swagger-ui-init.js']) {
      const anonymous = await fetch(`${agent.baseUrl}${path}`);
      assert.equal(anonymous.status, 401, path);
      const body = (await anonymous.json()) as { statusCode: number; error: string; message: string };
      assert.equal(body.statusCode, 401);
      assert.equal(body.error, 'Unauthorized');
      const wrong = await fetch(`${agent.baseUrl}${path}`, { headers: { authorization: 'Bearer nope' } });
      assert.equal(wrong.status, 401, `${path} with a wrong token`);
      await wrong.arrayBuffer();
      for (const token of [TOKEN, READ_TOKEN]) {
        const allowed = await fetch(`${agent.baseUrl}${path}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        assert.equal(allowed.status, 200, path);
        await allowed.arrayBuffer();
      }
    }
  });
});
