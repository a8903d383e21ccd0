import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { OpenAPIObject } from '@nestjs/swagger';
import { documentSharedResponses } from '../../../src/docs/api-shared-responses.js';
import { strictNullables } from '../../../src/docs/strict-nullables.js';

const document = (paths: OpenAPIObject['paths'], schemas: Record<string, unknown> = {}): OpenAPIObject =>
  ({
    openapi: '3.0.0',
    info: { title: 't', version: '1' },
    paths,
    components: { schemas },
  }) as OpenAPIObject;

describe('strictNullables', () => {
  test('a nullable enum gets null among its values; a plain enum and a nullable string are left alone', () => {
    const fixed = strictNullables(
      document(
        {},
        {
          View: {
            type: 'object',
            properties: {
              visibility: { type: 'string', enum: ['isolated', 'absent'], nullable: true },
              place: { type: 'string', enum: ['set', 'host', null], nullable: true },
              kind: { type: 'string', enum: ['a', 'b'] },
              name: { type: 'string', nullable: true },
            },
          },
        },
      ),
    );
    assert.deepEqual((fixed.components?.schemas?.['View'] as { properties: unknown }).properties, {
      visibility: { type: 'string', enum: ['isolated', 'absent', null], nullable: true },
      place: { type: 'string', enum: ['set', 'host', null], nullable: true },
      kind: { type: 'string', enum: ['a', 'b'] },
      name: { type: 'string', nullable: true },
    });
  });

  test('a nullable reference becomes anyOf the reference and a null-only schema, its description kept', () => {
    const fixed = strictNullables(
      document(
        {},
        {
          Usage: {
            type: 'object',
            properties: {
              downsampled: {
                nullable: true,
                type: 'object',
                description: 'Null when not downsampled.',
                allOf: [{ $ref: '#/components/schemas/Downsampling' }],
              },
            },
          },
        },
      ),
    );
    const usage = fixed.components?.schemas?.['Usage'] as { properties: Record<string, unknown> };
    assert.deepEqual(usage.properties['downsampled'], {
      description: 'Null when not downsampled.',
      anyOf: [
        { $ref: '#/components/schemas/Downsampling' },
        { type: 'object', nullable: true, enum: [null], description: 'null' },
      ],
    });
  });
});

describe('documentSharedResponses', () => {
  const ok = { '200': { description: 'ok' } };

  test('a read gets 401; a mutation gets 400, 401, 403, 405, 413 and 429 (with Retry-After), in order', () => {
    const fixed = documentSharedResponses(
      document({
        '/r': { get: { responses: { ...ok } }, delete: { responses: { '204': { description: 'gone' } } } },
      }),
    );
    assert.deepEqual(Object.keys(fixed.paths['/r']?.get?.responses ?? {}), ['200', '401']);
    const mutation = fixed.paths['/r']?.delete?.responses ?? {};
    assert.deepEqual(Object.keys(mutation), ['204', '400', '401', '403', '405', '413', '429']);
    assert.ok('Retry-After' in ((mutation['429'] as { headers?: object }).headers ?? {}));
  });

  test("a route's own description of a shared status is kept", () => {
    const own = { description: 'the title is missing' };
    const fixed = documentSharedResponses(
      document({ '/w': { post: { responses: { '201': { description: 'made' }, '400': own } } } }),
    );
    assert.equal(fixed.paths['/w']?.post?.responses['400'], own);
  });
});
