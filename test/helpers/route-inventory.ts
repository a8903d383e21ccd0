import 'reflect-metadata';
import { RequestMethod } from '@nestjs/common';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface DeclaredRoute {
  /** Upper-case HTTP method. */
  readonly method: string;
  /** Full path template as served, e.g. `/api/v1/settings/:key/history` or `/metrics`. */
  readonly path: string;
  readonly controller: string;
}

/** The compiled src/ next to this compiled helper (dist-test/src, .build-fuzz/src, …). */
const COMPILED_SRC = path.resolve(import.meta.dirname, '..', '..', 'src');

function controllerFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return controllerFiles(full);
    return entry.name.endsWith('.controller.js') ? [full] : [];
  });
}

const asList = (value: unknown): string[] =>
  Array.isArray(value) ? value.map(String) : value === undefined ? [''] : [String(value)];

function join(...parts: string[]): string {
  const joined = parts
    .flatMap((p) => p.split('/'))
    .filter((p) => p !== '')
    .join('/');
  return `/${joined}`;
}

/**
 * Every route the Nest controllers of the compiled agent declare, read from their decorator metadata (the
 * same metadata Nest maps routes from). A controller added later is found without editing any test.
 * `prefix` is the global prefix; `unprefixed` lists `method path` pairs excluded from it (METRICS_ROUTE).
 */
export async function declaredRoutes(
  prefix: string,
  unprefixed: readonly string[],
): Promise<DeclaredRoute[]> {
  const routes: DeclaredRoute[] = [];
  for (const file of controllerFiles(COMPILED_SRC).sort()) {
    const exports = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    for (const exported of Object.values(exports)) {
      if (typeof exported !== 'function') continue;
      const controllerPaths = Reflect.getMetadata('path', exported) as unknown;
      if (controllerPaths === undefined) continue;
      const proto = (exported as { prototype: object }).prototype;
      for (const name of Object.getOwnPropertyNames(proto)) {
        const handler = (proto as Record<string, unknown>)[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const methodId = Reflect.getMetadata('method', handler) as number | undefined;
        const handlerPaths = Reflect.getMetadata('path', handler) as unknown;
        if (methodId === undefined || handlerPaths === undefined) continue;
        const method = String(RequestMethod[methodId]);
        for (const c of asList(controllerPaths)) {
          for (const h of asList(handlerPaths)) {
            const local = join(c, h);
            const served = unprefixed.includes(`${method} ${local}`) ? local : join(prefix, local);
            routes.push({ method, path: served, controller: (exported as { name: string }).name });
          }
        }
      }
    }
  }
  return routes;
}
