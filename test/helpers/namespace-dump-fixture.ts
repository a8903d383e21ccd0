import { readFileSync } from 'node:fs';
import type { SysctlDump } from '../../src/domain/sysctl/parse-sysctl-dump.js';
import { repoPath } from './repo-path.js';

const dir = ['test', 'fixtures', 'namespace-dump'] as const;

/**
 * The captured dumper output of test/fixtures/namespace-dump, with `modeOf` answering from the modes captured
 * with it (`denied-modes.txt`), as the reader answers from its own namespaces.
 */
export function loadNamespaceDumpFixture(): SysctlDump {
  const deniedModes = new Map(
    readFileSync(repoPath(...dir, 'denied-modes.txt'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => {
        const [mode = '', file = ''] = line.split(' ');
        return [file, parseInt(mode, 8)] as const;
      }),
  );
  return {
    sysRoot: '/proc/sys',
    stdout: readFileSync(repoPath(...dir, 'stdout.bin'), 'utf8'),
    stderr: readFileSync(repoPath(...dir, 'stderr.txt'), 'utf8'),
    modeOf: (file) => deniedModes.get(file) ?? null,
  };
}
