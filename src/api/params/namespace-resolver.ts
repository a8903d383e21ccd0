import { Inject, Injectable } from '@nestjs/common';
import { NotFoundError } from '../../common/api-errors.js';
import { CLOCK, type Clock } from '../../common/clock.js';
import {
  type NamespaceRecord,
  NamespacesRepository,
} from '../../storage/repositories/namespaces.repository.js';
import { InvalidInstantError, parseInstant } from '../../domain/time/parse-instant.js';
import { textParam } from './request-params.js';

export type ResolvedNamespace = NamespaceRecord;

/**
 * Resolves a `namespace` parameter: a numeric id, `host`, a set identity, a container name or id (a unique
 * prefix of at least 4 characters), or a netns name. Looked up in the database only. A name used by several
 * sets over time (a container replaced under the same name) names the newest; `NAME@TIME` names the one that
 * bore the name at TIME (ISO-8601, epoch ms or relative, e.g. `web@-2h`); every set also keeps its id.
 */
@Injectable()
export class NamespaceResolver {
  constructor(
    private readonly namespaces: NamespacesRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async resolve(raw: string | undefined, parameter = 'namespace'): Promise<ResolvedNamespace> {
    const wanted = textParam(parameter, raw, 256) ?? 'host';
    const found = (await this.namespaces.find(wanted)) ?? (await this.findAt(wanted));
    if (found) return found;
    throw new NotFoundError(
      wanted === 'host'
        ? 'no snapshot of the host has been recorded yet'
        : `${parameter} '${wanted.slice(0, 80)}' matches no namespace set, container or netns`,
    );
  }

  /** The host's set (404 before the first snapshot). */
  host(): Promise<ResolvedNamespace> {
    return this.resolve('host');
  }

  /** The set a parameter names, or null when it was not given. */
  async optional(raw: string | undefined, parameter = 'namespace'): Promise<ResolvedNamespace | null> {
    return raw === undefined || raw === '' ? null : this.resolve(raw, parameter);
  }

  /** `NAME@TIME`: the set that bore the name at TIME; not that form (no time after the `@`): no match. */
  private async findAt(wanted: string): Promise<ResolvedNamespace | undefined> {
    const at = wanted.lastIndexOf('@');
    if (at <= 0) return undefined;
    let instant: number;
    try {
      instant = parseInstant(wanted.slice(at + 1), this.clock.now());
    } catch (error) {
      if (error instanceof InvalidInstantError) return undefined;
      throw error;
    }
    return this.namespaces.findAt(wanted.slice(0, at), instant);
  }
}
