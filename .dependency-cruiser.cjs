/**
 * The house rules, checked by `npm run check` (depcruise src). Data flows one way; each folder sits on a layer
 * and imports only from the layers below it:
 *
 *   app      src/*.ts (main, app.module, app.factory, collection.module, cli.ts), src/cli
 *   api      src/api, src/docs                   (reads the database through storage; no ORM)
 *   features src/snapshot, src/kernel-events, src/webhooks, src/metrics, src/retention
 *            (talk to each other only through the event seam, never by import)
 *   seam     src/events, src/collectors
 *   base     src/storage, src/os, src/common, src/config
 *   domain   src/domain                          (pure: imports nothing outside itself)
 */
const FEATURES = '(snapshot|kernel-events|webhooks|metrics|retention)';
const APP = '^src/([^/]+[.]ts$|cli/)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles: a cycle means two rooms that cannot be understood (or tested) apart.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'src/domain holds pure logic: it imports nothing else from src.',
      from: { path: '^src/domain/' },
      to: { path: '^src/', pathNot: '^src/domain/' },
    },
    {
      name: 'base-imports-no-layer-above',
      severity: 'error',
      comment: 'storage, os, common and config sit right above the domain: nothing above them is imported.',
      from: { path: '^src/(storage|os|common|config)/' },
      to: { path: [`^src/(collectors|events|api|docs)/`, `^src/${FEATURES}/`, APP] },
    },
    {
      name: 'seam-imports-no-layer-above',
      severity: 'error',
      comment: 'The event seam and the collectors know nothing of the features that use them.',
      from: { path: '^src/(events|collectors)/' },
      to: { path: ['^src/(api|docs)/', `^src/${FEATURES}/`, APP] },
    },
    {
      name: 'features-meet-through-the-seam',
      severity: 'error',
      comment:
        'A feature (snapshot, kernel log, webhooks, metrics, retention) never imports another one: it publishes ' +
        'or subscribes to events on src/events instead. Nor does it import the API or the app.',
      from: { path: `^src/${FEATURES}/` },
      to: { path: [`^src/${FEATURES}/`, '^src/(api|docs)/', APP], pathNot: '^src/$1/' },
    },
    {
      name: 'api-imports-no-app-and-no-os',
      severity: 'error',
      comment:
        'The API reads the database only: it never reaches the OS or the collectors, nor the app above it.',
      from: { path: '^src/(api|docs)/' },
      to: { path: ['^src/(os|collectors)/', APP] },
    },
    {
      name: 'no-orm-in-api',
      severity: 'error',
      comment:
        'SQL has one home, src/storage: the API imports no typeorm, @nestjs/typeorm or better-sqlite3.',
      from: { path: '^src/api/' },
      to: { path: 'node_modules/(typeorm|@nestjs/typeorm|better-sqlite3)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a type imported from above is still an upward dependency.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
