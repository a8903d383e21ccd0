import path from 'node:path';

/** Tests run compiled from dist-test/test/...; fixtures and scripts stay in the source tree. */
export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..', '..');

export function repoPath(...parts: string[]): string {
  return path.join(REPO_ROOT, ...parts);
}
