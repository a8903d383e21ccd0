import { Inject, Injectable } from '@nestjs/common';
import { NotFoundError } from '../../common/api-errors.js';
import { CLOCK, type Clock } from '../../common/clock.js';
import {
  compareClassifications,
  kernelReleaseCallout,
} from '../../domain/baselines/compare-classifications.js';
import { HOSTNAME_KEY, KERNEL_RELEASE_KEY } from '../../domain/baselines/compose-bundle.js';
import type { Bundle } from '../../domain/baselines/bundle-types.js';
import {
  type BaselineDifference,
  type ClassifiedState,
  diffAgainstBaseline,
} from '../../domain/baselines/diff-against-baseline.js';
import { groupInterfaceKeys, type KeySides } from '../../domain/history/group-interface-keys.js';
import type { CatalogEntry } from '../../domain/namespaces/compose-effective-settings.js';
import { DataVersionReader, VersionedCache } from '../../storage/data-version.js';
import { BaselinesRepository } from '../../storage/repositories/baselines.repository.js';
import { StateRepository } from '../../storage/repositories/state.repository.js';
import { wantsRawInterfaces } from '../params/interfaces.query.js';
import { NamespaceResolver } from '../params/namespace-resolver.js';
import { baselineNameParam } from './baseline-params.js';
import type { BaselineDiffQuery } from './baseline.queries.js';
import type { BaselineDiffResult } from './baseline.views.js';

/** Comparisons at an instant kept for the data version (a report asked again against the same baseline). */
const CACHED_COMPARISONS = 4;

/** This host's namespace set at `at` vs an imported baseline's host set. */
@Injectable()
export class BaselineDiffService {
  private readonly recentDrift = new VersionedCache<{
    entries: readonly BaselineDifference[];
    catalog: ReadonlyMap<string, CatalogEntry>;
  }>(CACHED_COMPARISONS);

  constructor(
    private readonly state: StateRepository,
    private readonly resolver: NamespaceResolver,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly baselines: BaselinesRepository,
    private readonly versions: DataVersionReader,
  ) {}

  async diff(rawName: string, query: BaselineDiffQuery): Promise<BaselineDiffResult> {
    const name = baselineNameParam('name', rawName);
    const at = query.at ?? this.clock.now();
    const { scope } = query;
    const { bundle, values, catalog, theirs, grouped } = await this.compare(name, at, query);
    const entries = [...grouped.keys];
    const kernelRelease = values.get(KERNEL_RELEASE_KEY)?.trim() || null;
    return {
      baseline: {
        name,
        hostname: bundle.host.hostname,
        kernelRelease: bundle.host.kernelRelease,
        at: bundle.at,
      },
      here: {
        hostname: values.get(HOSTNAME_KEY)?.trim() || null,
        kernelRelease,
        at: new Date(at).toISOString(),
      },
      scope: scope ?? null,
      kernelRelease: kernelReleaseCallout(
        kernelRelease,
        bundle.host.kernelRelease,
        compareClassifications(catalog, theirs),
      ),
      count: entries.length,
      entries,
      interfaces: grouped.interfaces.map((i) => ({
        interface: i.name,
        kind: i.kind === 'appeared' ? 'only-here' : i.kind === 'vanished' ? 'only-baseline' : 'changed',
        keyCount: i.keyCount,
        keys: [...i.keys],
      })),
    };
  }

  /**
   * The entries of `diff` (default query) for an incident report, with the key catalog they were classified
   * with (the report takes the facts of the keys it ranks from it instead of reading them again).
   */
  async driftAt(
    rawName: string,
    at: number,
  ): Promise<{ entries: BaselineDifference[]; catalog: ReadonlyMap<string, CatalogEntry> }> {
    const name = baselineNameParam('name', rawName);
    // An incident report with `baseline=` compares at the incident's start, the same instant on every request:
    // the comparison (the host's every value then, the catalog) is kept for the database's data version.
    const version = this.versions.now();
    const cacheKey = JSON.stringify([name, at]);
    let drift = this.recentDrift.get(version, cacheKey);
    if (!drift) {
      const { grouped, catalog } = await this.compare(name, at, {});
      drift = { entries: grouped.keys, catalog };
      // Kept only when nothing was written while it was read.
      if (this.versions.now() === version) this.recentDrift.set(version, cacheKey, drift);
    }
    return { entries: [...drift.entries], catalog: drift.catalog };
  }

  private async compare(name: string, at: number, query: BaselineDiffQuery) {
    const stored = await this.baselines.bundle(name);
    if (!stored) throw new NotFoundError(`baseline '${name}' does not exist`);
    const host = await this.resolver.host();
    if ((await this.state.snapshotTimeAt(at)) === null) {
      throw new NotFoundError(`no snapshot was taken at or before ${new Date(at).toISOString()}`);
    }
    const [values, catalog] = await Promise.all([this.state.stateAt(host.id, at), this.state.catalog()]);
    const { bundle } = stored;
    const baseline = baselineState(bundle);
    const differences = diffAgainstBaseline({ values, classification: catalog }, baseline, query.scope);
    const grouped = wantsRawInterfaces(query.interfaces)
      ? { keys: differences, interfaces: [] }
      : groupInterfaceKeys(differences, (d) => d.key, sidesOf);
    return { bundle, values, catalog, theirs: baseline.classification, grouped };
  }
}

/** A stored bundle's host set as maps, built once per parsed bundle (BaselinesRepository shares it, frozen). */
const STATES = new WeakMap<Bundle, ClassifiedState>();

function baselineState(bundle: Bundle): ClassifiedState {
  let state = STATES.get(bundle);
  if (!state) {
    state = {
      values: new Map(Object.entries(bundle.values)),
      classification: new Map(Object.entries(bundle.classification)),
    };
    STATES.set(bundle, state);
  }
  return state;
}

/** The baseline is the first side, this host the second. */
function sidesOf(difference: BaselineDifference): KeySides {
  if (difference.kind === 'only-here') return 'second';
  return difference.kind === 'only-baseline' ? 'first' : 'both';
}
