import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/** The parts of an OpenAPI 3.0 document the contract check reads. */
export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, unknown> };
}

export interface OpenApiOperation {
  responses: Record<string, { description?: string; content?: Record<string, { schema?: unknown }> }>;
  requestBody?: unknown;
}

/** One answer the agent gave, as seen on the wire. */
export interface ObservedAnswer {
  readonly method: string;
  /** Path and query as requested, e.g. `/api/v1/settings/kernel.ostype?at=-1h`. */
  readonly target: string;
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
}

/** Absolute ids for the component schemas, so a `$ref` inside one resolves the same everywhere. */
const SCHEMA_ID = 'urn:kernel-ledger:openapi:schema:';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

// ajv-formats is CommonJS with a default export: under NodeNext the namespace object is what the import gives.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/**
 * Checks real answers against an OpenAPI 3.0 document with a JSON-schema validator (Ajv 8, which implements
 * OpenAPI's `nullable` as 3.0.3 defines it: it adds null to `type`, and `enum` or `allOf` may still refuse it),
 * and records which status of which operation was seen, so a test can tell what it never exercised.
 * An answer whose status the operation does not document, whose content type it does not list, or whose body
 * its schema refuses, is a problem.
 */
export class OpenApiContract {
  /** `METHOD /template` → statuses seen. */
  readonly observed = new Map<string, Set<string>>();
  /** Each way an answer of request() broke the document → an example and the request that showed it. */
  readonly problems = new Map<string, string>();
  private readonly ajv: Ajv;
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly templates: {
    route: string;
    pattern: RegExp;
    method: string;
    operation: OpenApiOperation;
  }[];

  constructor(readonly document: OpenApiDocument) {
    // strictTypes off: OpenAPI's `nullable` sits beside `type` in ways Ajv's strict mode calls ambiguous.
    this.ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, strictRequired: false });
    addFormats(this.ajv);
    // OpenAPI 3.0 annotations that are not JSON Schema validation keywords.
    this.ajv.addVocabulary(['example', 'xml', 'externalDocs', 'discriminator']);
    for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) {
      this.ajv.addSchema(rewriteRefs(schema) as object, `${SCHEMA_ID}${name}`);
    }
    this.templates = Object.entries(document.paths).flatMap(([template, item]) =>
      METHODS.filter((m) => item[m]).map((method) => ({
        route: `${method.toUpperCase()} ${template}`,
        method: method.toUpperCase(),
        pattern: new RegExp(
          `^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{\w+\\?\}/g, '[^/]+')}$`,
        ),
        operation: item[method] as OpenApiOperation,
      })),
    );
  }

  /** Every `METHOD /template` of the document. */
  routes(): string[] {
    return this.templates.map((t) => t.route);
  }

  /**
   * Why the answer breaks the document (empty when it does not); records the status as observed. A body
   * problem reads `<route → status>: <schema path> <message> | e.g. <where in the body> = <value>`.
   */
  check(answer: ObservedAnswer): string[] {
    const path = answer.target.split('?')[0] ?? '';
    const found = this.templates.find((t) => t.method === answer.method && t.pattern.test(path));
    if (!found) return [`${answer.method} ${path} is not in the document`];
    const status = String(answer.status);
    const seen = this.observed.get(found.route) ?? new Set<string>();
    seen.add(status);
    this.observed.set(found.route, seen);
    const where = `${found.route} → ${status}`;
    const response =
      found.operation.responses[status] ??
      found.operation.responses[`${status[0]}XX`] ??
      found.operation.responses['default'];
    if (!response) return [`${where}: status not documented (${answer.text.slice(0, 120)})`];
    const content = response.content ?? {};
    if (Object.keys(content).length === 0) {
      return answer.text === '' ? [] : [`${where}: documents no body, answered ${answer.text.slice(0, 80)}`];
    }
    const mediaType = Object.keys(content).find((type) => sameMediaType(type, answer.contentType));
    if (!mediaType) return [`${where}: content type '${answer.contentType}' not documented`];
    const schema = content[mediaType]?.schema;
    if (!schema) return [`${where}: no schema for ${mediaType}`];
    if (!mediaType.startsWith('application/json')) {
      return typeof answer.text === 'string' ? [] : [`${where}: not text`];
    }
    let body: unknown;
    try {
      body = JSON.parse(answer.text);
    } catch {
      return [`${where}: body is not JSON: ${answer.text.slice(0, 80)}`];
    }
    const validate = this.validatorFor(`${found.route} ${status} ${mediaType}`, schema);
    if (validate(body)) return [];
    // Named by the schema path, so one broken property of a list is one problem, not one per item.
    return (validate.errors ?? []).map((e) => {
      const value = JSON.stringify(valueAt(body, e.instancePath))?.slice(0, 60);
      return `${where}: ${e.schemaPath} ${e.message ?? ''} | e.g. ${e.instancePath || '(body)'} = ${value}`;
    });
  }

  /**
   * Sends a request to the agent, checks the answer (problems are kept in `problems`) and returns its status
   * and JSON body (`{}` when it has none).
   */
  async request(
    baseUrl: string,
    method: string,
    target: string,
    options: { headers?: Record<string, string>; body?: string } = {},
  ): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
    const headers = { ...options.headers };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${baseUrl}${target}`, {
      method,
      headers,
      ...(options.body === undefined ? {} : { body: options.body }),
    });
    const text = await response.text();
    const contentType = response.headers.get('content-type') ?? '';
    for (const problem of this.check({ method, target, status: response.status, contentType, text })) {
      const [kind = problem, example = ''] = problem.split(' | ');
      if (!this.problems.has(kind)) this.problems.set(kind, `${example} in ${method} ${target}`.trim());
    }
    const body =
      contentType.startsWith('application/json') && text !== ''
        ? (JSON.parse(text) as Record<string, unknown>)
        : {};
    return { status: response.status, body, headers: response.headers };
  }

  /** Every problem request() met, one line each, for an assertion. */
  problemList(): string[] {
    return [...this.problems].map(([kind, example]) => `${kind}  [${example.slice(0, 160)}]`);
  }

  /** `METHOD /template status` of every documented answer no call produced. */
  unobserved(): string[] {
    return this.templates.flatMap(({ route, operation }) =>
      Object.keys(operation.responses)
        .filter((status) => !this.observed.get(route)?.has(status))
        .map((status) => `${route} ${status}`),
    );
  }

  private validatorFor(key: string, schema: unknown): ValidateFunction {
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(rewriteRefs(schema) as object);
      this.validators.set(key, validate);
    }
    return validate;
  }
}

/** `#/components/schemas/X` → the id the schema was added under. */
function rewriteRefs(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(rewriteRefs);
  if (schema === null || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([name, value]) =>
      name === '$ref' && typeof value === 'string' && value.startsWith('#/components/schemas/')
        ? [name, `${SCHEMA_ID}${value.slice('#/components/schemas/'.length)}`]
        : [name, rewriteRefs(value)],
    ),
  );
}

function sameMediaType(documented: string, answered: string): boolean {
  const essence = (type: string): string => type.split(';')[0]?.trim().toLowerCase() ?? '';
  return essence(documented) === essence(answered);
}

function valueAt(body: unknown, pointer: string): unknown {
  let value = body;
  for (const part of pointer.split('/').slice(1)) {
    value = (value as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return value;
}
