import type { TargetCollection } from '../collectors/collector-runner.js';
import { concealConfiguredSecrets } from '../domain/sysctl-conf/conceal-configured-secrets.js';
import { findConfigDrift } from '../domain/sysctl-conf/find-config-drift.js';
import { parseSysctlConf } from '../domain/sysctl-conf/parse-sysctl-conf.js';
import {
  everyConfiguredValue,
  resolveConfiguredValues,
} from '../domain/sysctl-conf/resolve-configured-values.js';
import { readingValues } from '../domain/sysctl/reading-values.js';
import { readBootConfFiles } from '../os/sysctl-conf.reader.js';
import type { BootConfigReading } from '../storage/boot-config.writer.js';

export type BootConfigOutcome =
  { readonly reading: BootConfigReading } | { readonly reading: null; readonly error: string | null };

/**
 * Reads the host's boot configuration under `root` (systemd-sysctl's files and order), resolves it against the
 * keys the host collection found, and compares it with their runtime values. Nothing is evaluated without a
 * complete host collection (every configured key would look unknown); a configuration that cannot be read is
 * an error of the snapshot, and the stored configuration is left as it was.
 */
export function evaluateBootConfig(root: string, host: TargetCollection | undefined): BootConfigOutcome {
  if (host === undefined || !host.complete) return { reading: null, error: null };
  let files;
  try {
    files = readBootConfFiles(root);
  } catch (error) {
    return { reading: null, error: error instanceof Error ? error.message : String(error) };
  }
  const assignments = files.flatMap((f) => parseSysctlConf(f.file, f.text).assignments);
  const resolved = concealConfiguredSecrets(
    resolveConfiguredValues(
      assignments,
      host.readings.map((r) => r.key),
    ),
  );
  // Only readable readings have a value (sysctl-types.ts), so a write-only key is not in it.
  const runtime = readingValues(host.readings);
  return {
    reading: {
      configured: everyConfiguredValue(resolved),
      drift: findConfigDrift(resolved, runtime),
      runtime,
    },
  };
}
