#!/usr/bin/env node
import 'reflect-metadata';
// First: modules its dependencies require for features it does not use stay unloaded.
import './common/unused-modules.js';
import { runCli } from './cli/run-cli.js';

/**
 * `kernel-ledger <command>` (package.json "bin"): snapshot, export, diff, report, preflight, help. Prints the result on
 * stdout; any failure is one line on stderr and a non-zero status (2 for a bad command line or variable).
 */
function fail(error: unknown): never {
  process.stderr.write(`kernel-ledger: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}

process.on('unhandledRejection', fail);

runCli(process.argv.slice(2), process.env)
  .then(({ status, stdout, stderr }) => {
    if (stderr) process.stderr.write(stderr);
    // exit once stdout is flushed: a background handle left by a module must not keep the CLI alive.
    process.stdout.write(stdout, () => process.exit(status));
  })
  .catch(fail);
