import { execFileSync } from 'node:child_process';

/** Named network namespaces made for a benchmark run, always removed by `remove()`. */
export class NetnsFleet {
  readonly names: string[] = [];

  constructor(prefix: string, count: number) {
    try {
      for (let i = 0; i < count; i++) {
        const name = `${prefix}-${process.pid}-${i}`;
        execFileSync('ip', ['netns', 'add', name]);
        this.names.push(name);
      }
    } catch (error) {
      this.remove();
      throw error;
    }
  }

  remove(): void {
    for (const name of this.names.splice(0)) {
      try {
        execFileSync('ip', ['netns', 'delete', name]);
      } catch {
        // already gone
      }
    }
  }
}
