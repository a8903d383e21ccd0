import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface SmallTmpfs {
  readonly dir: string;
  /** Writes a filler file until the file system answers ENOSPC; returns its path. */
  fill(): string;
  /** Deletes the filler file: the space is back. */
  free(): void;
  unmount(): void;
}

/** A tmpfs of `sizeMiB` MiB mounted on a fresh folder (root only; unmount in `finally`). */
export function mountSmallTmpfs(sizeMiB: number): SmallTmpfs {
  const dir = mkdtempSync(path.join(tmpdir(), 'kl-tmpfs-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMiB}m,mode=0755`, 'tmpfs', dir]);
  const filler = path.join(dir, 'filler');
  return {
    dir,
    fill: () => {
      const fd = openSync(filler, 'a');
      const chunk = Buffer.alloc(64 * 1024, 1);
      try {
        for (;;) writeSync(fd, chunk);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      } finally {
        closeSync(fd);
      }
      return filler;
    },
    free: () => rmSync(filler, { force: true }),
    unmount: () => {
      try {
        execFileSync('umount', ['-l', dir]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
