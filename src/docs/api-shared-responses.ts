import type { OpenAPIObject, ResponseObject } from '@nestjs/swagger';

const MUTATING = new Set(['post', 'put', 'patch', 'delete']);
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

const ERROR_BODY = { $ref: '#/components/schemas/ApiErrorBody' };

function errorResponse(description: string, status: number, error: string, message: string): ResponseObject {
  return {
    description,
    content: { 'application/json': { schema: ERROR_BODY, example: { statusCode: status, error, message } } },
  };
}

/** Answered by every route, before the route's own code: AccessGuard (src/domain/access/access-policy.ts). */
const READ_UNAUTHORIZED = errorResponse(
  'With API_TOKEN and AUTH_READS=true: no token, or neither API_TOKEN nor API_READ_TOKEN.',
  401,
  'Unauthorized',
  'reads need Authorization: Bearer <API_TOKEN or API_READ_TOKEN>',
);

/**
 * Answered by every mutating route before its own code: the access guard (401, 403, 405), the JSON body
 * parser (400 for malformed JSON, 413 over BODY_LIMIT_BYTES; BASELINE_BODY_LIMIT_BYTES for /baselines) and
 * the rate limiter (429 over RATE_LIMIT_PER_MINUTE per client and route).
 */
const MUTATION_RESPONSES: Readonly<Record<string, ResponseObject>> = {
  '400': errorResponse(
    'The body is not JSON, or is nested too deep.',
    400,
    'Bad Request',
    'Unexpected end of JSON input',
  ),
  '401': errorResponse(
    'With API_TOKEN set: no token, or not API_TOKEN.',
    401,
    'Unauthorized',
    'changes need Authorization: Bearer <API_TOKEN>',
  ),
  '403': errorResponse(
    'The token presented is API_READ_TOKEN, which allows reads only.',
    403,
    'Forbidden',
    'API_READ_TOKEN allows reads only; changes need Authorization: Bearer <API_TOKEN>',
  ),
  '405': errorResponse(
    'Postmortem mode (READ_ONLY=true): nothing can be changed or collected.',
    405,
    'Method Not Allowed',
    'the agent serves a database read-only (postmortem mode): nothing can be changed or collected',
  ),
  '413': errorResponse(
    'The body is larger than BODY_LIMIT_BYTES (BASELINE_BODY_LIMIT_BYTES for /baselines).',
    413,
    'Payload Too Large',
    'request entity too large',
  ),
  '429': {
    ...errorResponse(
      'More than RATE_LIMIT_PER_MINUTE requests to this route from this client in the last minute.',
      429,
      'Too Many Requests',
      'ThrottlerException: Too Many Requests',
    ),
    headers: {
      'Retry-After': {
        description: 'Seconds until a request is accepted again.',
        schema: { type: 'integer' },
      },
    },
  },
};

/**
 * Adds to every operation of the document the error answers that come from the agent's shared request
 * pipeline rather than from the route (access, body parser, rate limiter), so that no route has to repeat
 * them and a new route gets them too. A response a route documents itself is kept as it is.
 */
export function documentSharedResponses(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const shared = MUTATING.has(method) ? MUTATION_RESPONSES : { '401': READ_UNAUTHORIZED };
      const responses: Record<string, unknown> = operation.responses;
      for (const [status, response] of Object.entries(shared)) responses[status] ??= response;
      operation.responses = Object.fromEntries(
        Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)),
      ) as typeof operation.responses;
    }
  }
  return document;
}
