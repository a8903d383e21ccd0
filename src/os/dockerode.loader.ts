import { createRequire } from 'node:module';
import type Dockerode from 'dockerode';
import { placeholderModule } from '../common/module-placeholder.js';

const require = createRequire(import.meta.url);

/** A package dockerode loads at start for a feature the agent never uses. */
export interface UnusedDependency {
  /** The package that requires it: dockerode itself, or its transport, docker-modem. */
  readonly loadedBy: 'dockerode' | 'docker-modem';
  readonly module: string;
  readonly feature: string;
}

const UNUSED_AT_LOAD: readonly UnusedDependency[] = [
  { loadedBy: 'dockerode', module: '@grpc/grpc-js', feature: 'BuildKit sessions (image builds)' },
  { loadedBy: 'dockerode', module: '@grpc/proto-loader', feature: 'BuildKit sessions (image builds)' },
  { loadedBy: 'docker-modem', module: 'ssh2', feature: 'ssh:// Docker hosts' },
];

/** What the agent leaves unloaded: all three, except ssh2 when DOCKER_HOST is an ssh:// URL. */
export function unusedDependencies(dockerHost: string | undefined): readonly UnusedDependency[] {
  const overSsh = /^ssh:\/\//i.test(dockerHost ?? '');
  return UNUSED_AT_LOAD.filter((dependency) => !(overSsh && dependency.module === 'ssh2'));
}

let loaded: typeof Dockerode | undefined;
const placeholders = new Set<string>();

/**
 * Drops the placeholder of `module` from the module cache, so the next require loads the real package (the CRI
 * client uses @grpc/grpc-js and @grpc/proto-loader itself). dockerode keeps the placeholder it already holds.
 */
export function releasePlaceholder(module: string): void {
  const file = require.resolve(module);
  if (placeholders.delete(file)) delete require.cache[file];
}

/**
 * dockerode, without the packages it and docker-modem require at load for features the agent never uses
 * (BuildKit sessions over gRPC, SSH transport): the agent only lists and inspects containers. Each is
 * registered in the CommonJS module cache as a placeholder that throws a clear error if anything ever calls
 * into it. Bench figure 4: 3.8 MiB less heap and ~4 MiB less RSS. Called before anything else loads dockerode
 * (nothing else does); a package already loaded for real is left as it is.
 */
export function loadDockerode(dockerHost: string | undefined): typeof Dockerode {
  if (loaded) return loaded;
  const fromDockerode = createRequire(require.resolve('dockerode'));
  const requirers = {
    dockerode: fromDockerode,
    'docker-modem': createRequire(fromDockerode.resolve('docker-modem')),
  };
  for (const dependency of unusedDependencies(dockerHost)) {
    const file = requirers[dependency.loadedBy].resolve(dependency.module);
    if (require.cache[file]) continue; // loaded for real already
    require.cache[file] = placeholderModule(file, dependency);
    placeholders.add(file);
  }
  loaded = require('dockerode') as typeof Dockerode;
  return loaded;
}
