import { Module } from 'node:module';

/** A package (or a package's file) left unloaded, and the feature it would serve. */
export interface UnloadedModule {
  readonly module: string;
  readonly feature: string;
}

/**
 * A CommonJS module standing for `file` in the module cache without its code being loaded: a `require` of it
 * gets a value that throws a clear error when called or constructed. Any property is that same value again
 * (`require('ssh2').Client`), so code that only names it at load (`class X extends Placeholder.Y`) still loads.
 */
export function placeholderModule(file: string, unloaded: UnloadedModule): Module {
  const placeholder = new Module(file);
  placeholder.filename = file;
  placeholder.loaded = true;
  placeholder.exports = unavailable(unloaded);
  return placeholder;
}

function unavailable(unloaded: UnloadedModule): unknown {
  const fail = (): never => {
    throw new Error(`${unloaded.module} is not loaded: kernel-ledger does not use ${unloaded.feature}`);
  };
  const stand = new Proxy(function unavailableModule() {}, {
    apply: fail,
    construct: fail,
    get: (_target, property) =>
      typeof property === 'symbol' || property === '__esModule' || property === 'then' ? undefined : stand,
  });
  return stand;
}
