import type { OpenAPIObject } from '@nestjs/swagger';

type Schema = Record<string, unknown>;

/** The OpenAPI 3.0 schema that only `null` satisfies: `nullable` adds null to `type`, `enum` keeps only it. */
const NULL_ONLY: Schema = { type: 'object', nullable: true, enum: [null], description: 'null' };

/**
 * OpenAPI 3.0.3 reads `nullable: true` as "add null to `type`", nothing more: every other keyword of the schema
 * still applies to null. @nestjs/swagger writes two shapes that therefore refuse the null the agent answers:
 *
 * - a nullable enum whose values do not list null (`childVisibility`, `place`): null is added to the enum;
 * - a nullable reference, `{nullable, type: object, allOf: [{$ref}]}` (`downsampled`, `lastSnapshot`), whose
 *   referenced schema refuses null: it becomes `anyOf: [{$ref}, null-only]`.
 *
 * Applied to the whole document, so a view written later is covered too. The contract test validates real
 * answers against the result with a JSON-schema validator.
 */
export function strictNullables(document: OpenAPIObject): OpenAPIObject {
  visit(document.components?.schemas);
  visit(document.paths);
  return document;
}

function visit(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) visit(item);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const schema = node as Schema;
  if (schema['nullable'] === true) fix(schema);
  for (const value of Object.values(schema)) visit(value);
}

function fix(schema: Schema): void {
  const values = schema['enum'];
  if (Array.isArray(values) && !values.includes(null)) values.push(null);
  const allOf = schema['allOf'];
  if (Array.isArray(allOf) && allOf.length === 1) {
    delete schema['allOf'];
    delete schema['type'];
    delete schema['nullable'];
    schema['anyOf'] = [allOf[0], { ...NULL_ONLY }];
  }
}
