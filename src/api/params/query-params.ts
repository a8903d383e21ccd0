import { applyDecorators, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { ApiProperty } from '@nestjs/swagger';
import { plainToInstance, Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString } from 'class-validator';
import { systemClock } from '../../common/clock.js';
import { enumParam, intParam, keyParam, textParam, timeParam } from './request-params.js';

/** What the OpenAPI document says about a query parameter (every one is a string on the wire). */
export interface QueryDoc {
  readonly description: string;
  readonly example: string;
  /** Documented as required; its absence is still answered by the service, with its own message. */
  readonly required?: boolean;
  readonly pattern?: string;
  readonly enum?: readonly string[];
  readonly maxLength?: number;
}

/**
 * A query parameter parsed where the request enters: the global ValidationPipe (transform) turns the string
 * into its typed value with `parse`, which answers 400 naming the parameter; an empty value counts as absent.
 * A repeated parameter (an array) is left alone and then fails `typed`, so it is a 400 as well.
 */
export function QueryParam(
  doc: QueryDoc,
  typed: PropertyDecorator,
  parse: (name: string, raw: string) => unknown,
): PropertyDecorator {
  const { enum: values, required = false, ...rest } = doc;
  return applyDecorators(
    ApiProperty({ type: String, required, ...rest, ...(values ? { enum: [...values] } : {}) }),
    IsOptional(),
    Transform(({ key, value }: { key: string; value: unknown }) =>
      typeof value === 'string' ? (value === '' ? undefined : parse(key, value)) : value,
    ),
    typed,
  );
}

/**
 * A time (ISO-8601, epoch ms, or relative like `-15m`) → epoch milliseconds. Relative times count from the
 * system clock, the one CommonModule provides as CLOCK (a decorator cannot inject it).
 */
export const TimeQuery = (doc: QueryDoc): PropertyDecorator =>
  QueryParam(doc, IsInt(), (name, raw) => timeParam(name, raw, systemClock.now()));

/** A whole number from `min` to `max`. */
export const IntQuery = (min: number, max: number, doc: QueryDoc): PropertyDecorator =>
  QueryParam({ pattern: '^\\d+$', ...doc }, IsInt(), (name, raw) => intParam(name, raw, min, max));

/** One of `values`. */
export const EnumQuery = (values: readonly string[], doc: Omit<QueryDoc, 'enum'>): PropertyDecorator =>
  QueryParam({ ...doc, enum: values }, IsString(), (name, raw) => enumParam(name, raw, values));

/** Text of at most `maxLength` characters (a namespace reference, a prefix, a name). */
export const TextQuery = (maxLength: number, doc: QueryDoc): PropertyDecorator =>
  QueryParam(doc, IsString(), (name, raw) => textParam(name, raw, maxLength));

/** A `namespace` reference (id, `host`, set identity, container name or id, netns name); resolved by the service. */
export const NamespaceQuery = (doc: QueryDoc): PropertyDecorator => TextQuery(256, doc);

/** Parses raw parameters (the CLI's options) through a query class's decorators, as a request would be. */
export function parseQuery<T extends object>(
  query: new () => T,
  raw: Readonly<Record<string, string | undefined>>,
): T {
  return plainToInstance(query, raw);
}

/** A path parameter parsed by a custom decorator, so the global ValidationPipe does not coerce it first. */
const pathParam = <T>(parse: (name: string, raw: string) => T) =>
  createParamDecorator((name: string, context: ExecutionContext): T => {
    const raw = context.switchToHttp().getRequest<Request>().params[name];
    return parse(name, typeof raw === 'string' ? raw : '');
  });

/** A numeric id from the path (`@IdParam('id') id: number`): a whole number from 1 up (`1e3` is not one). */
export const IdParam = pathParam((name, raw) => intParam(name, raw, 1, Number.MAX_SAFE_INTEGER) ?? 0);

/** A sysctl key from the path, checked for shape only (it is looked up in the catalog, never used as a path). */
export const KeyParam = pathParam((_name, raw) => keyParam(raw));
