import { ConflictException, Inject, Injectable, PayloadTooLargeException } from '@nestjs/common';
import { BadParameterError, NotFoundError } from '../../common/api-errors.js';
import { CLOCK, type Clock } from '../../common/clock.js';
import { BundleTooLargeError, BundleValidationError } from '../../domain/baselines/bundle-problems.js';
import type { Bundle, BundleLimits } from '../../domain/baselines/bundle-types.js';
import { validateBundle } from '../../domain/baselines/validate-bundle.js';
import { concealBundleSecrets } from '../../domain/baselines/conceal-bundle-secrets.js';
import { BaselinesRepository, type BaselineRow } from '../../storage/repositories/baselines.repository.js';
import { baselineNameParam } from './baseline-params.js';
import type { BaselineImportQuery } from './baseline.queries.js';
import type { BaselineDetail, BaselineImported, BaselineSummary } from './baseline.views.js';
import { BUNDLE_LIMITS } from './bundle-limits.token.js';

/** A bundle that failed validation: 400, its message lists each problem with its path under `body`. */
export class InvalidBundleError extends BadParameterError {
  constructor(problems: readonly string[]) {
    super('body', problems.join('; '));
    this.message = problems.join('; ');
  }
}

/** Import, list, show and delete baselines. */
@Injectable()
export class BaselinesService {
  constructor(
    private readonly baselines: BaselinesRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(BUNDLE_LIMITS) private readonly limits: BundleLimits,
  ) {}

  async import(query: BaselineImportQuery, body: unknown): Promise<BaselineImported> {
    const name = baselineNameParam('name', query.name);
    const replace = query.replace === 'true';
    const bundle = concealBundleSecrets(this.validate(body));
    const outcome = await this.baselines.save(name, bundle, this.clock.now(), replace);
    if (outcome === 'exists') {
      throw new ConflictException(`baseline '${name}' already exists; pass replace=true to overwrite it`);
    }
    const row = await this.baselines.summary(name);
    if (!row) throw new Error(`baseline ${name} vanished right after it was saved`);
    return { ...toSummary(row), replaced: outcome === 'replaced' };
  }

  async list(): Promise<{ count: number; items: BaselineSummary[] }> {
    const items = (await this.baselines.list()).map(toSummary);
    return { count: items.length, items };
  }

  async get(raw: string): Promise<BaselineDetail> {
    const name = baselineNameParam('name', raw);
    const found = await this.baselines.bundle(name);
    if (!found) throw new NotFoundError(`baseline '${name}' does not exist`);
    return { ...toSummary(found.row), bundle: found.bundle };
  }

  async remove(raw: string): Promise<void> {
    const name = baselineNameParam('name', raw);
    if (!(await this.baselines.remove(name))) throw new NotFoundError(`baseline '${name}' does not exist`);
  }

  private validate(body: unknown): Bundle {
    try {
      return validateBundle(body, this.limits);
    } catch (error) {
      if (error instanceof BundleValidationError) throw new InvalidBundleError(error.problems);
      if (error instanceof BundleTooLargeError) throw new PayloadTooLargeException(error.message);
      throw error;
    }
  }
}

export function toSummary(row: BaselineRow): BaselineSummary {
  return {
    name: row.name,
    importedAt: new Date(row.importedAt).toISOString(),
    hostname: row.hostname,
    kernelRelease: row.kernelRelease,
    at: new Date(row.at).toISOString(),
    keys: row.keyCount,
    namespaces: row.namespaceCount,
  };
}
