import { createRequire } from 'node:module';
import { placeholderModule } from './module-placeholder.js';

const require = createRequire(import.meta.url);

/** A module a dependency requires when it loads, for a feature the agent never uses. */
export interface UnusedModule {
  /** The package whose require names it. */
  readonly requiredBy: string;
  /** As that package requires it. */
  readonly module: string;
  readonly feature: string;
}

/**
 * typeorm's DriverFactory requires a driver for every database it supports (the agent opens SQLite through
 * better-sqlite3 only, src/storage/data-source-options.ts); class-validator's index requires libphonenumber-js
 * with its full metadata for `@IsPhoneNumber`, which the agent does not use.
 */
const TYPEORM_DRIVERS: Readonly<Record<string, string>> = {
  'aurora-mysql/AuroraMysqlDriver': 'Aurora MySQL',
  'aurora-postgres/AuroraPostgresDriver': 'Aurora PostgreSQL',
  'capacitor/CapacitorDriver': 'Capacitor SQLite',
  'cockroachdb/CockroachDriver': 'CockroachDB',
  'cordova/CordovaDriver': 'Cordova SQLite',
  'expo/ExpoDriver': 'Expo SQLite',
  'mongodb/MongoDriver': 'MongoDB',
  'mysql/MysqlDriver': 'MySQL',
  'nativescript/NativescriptDriver': 'NativeScript SQLite',
  'oracle/OracleDriver': 'Oracle',
  'postgres/PostgresDriver': 'PostgreSQL',
  'react-native/ReactNativeDriver': 'React Native SQLite',
  'sap/SapDriver': 'SAP HANA',
  'spanner/SpannerDriver': 'Spanner',
  'sqljs/SqljsDriver': 'sql.js',
  'sqlserver/SqlServerDriver': 'SQL Server',
};

export const UNUSED_MODULES: readonly UnusedModule[] = [
  ...Object.entries(TYPEORM_DRIVERS).map(([driver, database]) => ({
    requiredBy: 'typeorm',
    module: `./driver/${driver}`,
    feature: `${database} databases`,
  })),
  { requiredBy: 'class-validator', module: 'libphonenumber-js/max', feature: 'phone number validation' },
];

/** The file `unused.module` resolves to from the package that requires it. */
export function unusedModuleFile(unused: UnusedModule): string {
  return createRequire(require.resolve(unused.requiredBy)).resolve(unused.module);
}

/**
 * Registers a placeholder in the CommonJS module cache for each unused module, before anything loads the
 * packages that require them, so their code is never read: V8 keeps the source of every loaded module for the
 * process's lifetime (typeorm's drivers of other databases are 1.5 MiB of it, libphonenumber-js 0.6 MiB and
 * its metadata). A placeholder throws a clear error if it is ever called (module-placeholder.ts). A module
 * already loaded for real, or not installed, is left as it is. Returns the files left unloaded.
 */
export function leaveUnusedModulesUnloaded(): string[] {
  const files: string[] = [];
  for (const unused of UNUSED_MODULES) {
    let file: string;
    try {
      file = unusedModuleFile(unused);
    } catch {
      continue; // not installed (another version of the package): nothing to leave unloaded
    }
    if (require.cache[file]) continue;
    require.cache[file] = placeholderModule(file, {
      module: `${unused.requiredBy}: ${unused.module}`,
      feature: unused.feature,
    });
    files.push(file);
  }
  return files;
}

// On import: the agent's entry points (main.ts, cli.ts) import this module before anything else.
leaveUnusedModulesUnloaded();
