import { Injectable } from '@nestjs/common';
import { NotFoundError } from '../../common/api-errors.js';
import {
  type NamespaceRecord,
  NamespacesRepository,
} from '../../storage/repositories/namespaces.repository.js';
import { textParam } from './request-params.js';

export type ResolvedNamespace = NamespaceRecord;

/**
 * Resolves a `namespace` parameter: a numeric id, `host`, a set identity, a container name or id (a unique
 * prefix of at least 4 characters), or a netns name. Looked up in the database only; the most recently seen
 * set wins when a name was reused.
 */
@Injectable()
export class NamespaceResolver {
  constructor(private readonly namespaces: NamespacesRepository) {}

  async resolve(raw: string | undefined, parameter = 'namespace'): Promise<ResolvedNamespace> {
    const wanted = textParam(parameter, raw, 256) ?? 'host';
    const found = await this.namespaces.find(wanted);
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
}
