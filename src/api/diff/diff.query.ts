import { namespaceParam, timeParam } from '../../docs/api-doc-texts.js';
import { InterfacesQuery } from '../params/interfaces.query.js';
import { KeyPageQuery } from '../params/key-page.query.js';
import { NamespaceQuery, TimeQuery } from '../params/query-params.js';

/** Query of GET /diff: `from` is required, `to` defaults to now. */
export class DiffQuery extends KeyPageQuery {
  @TimeQuery({ required: true, description: timeParam('Start of the window (required).'), example: '-1d' })
  from?: number;

  @TimeQuery({ description: timeParam('End of the window; default now.'), example: '2026-11-29T14:03:00Z' })
  to?: number;

  @NamespaceQuery({
    description: namespaceParam('The namespace set to compare; default `host`.'),
    example: 'host',
  })
  namespace?: string;

  @InterfacesQuery()
  interfaces?: string;
}

/** Query of GET /diff/namespaces. */
export class NamespaceDiffQuery {
  @NamespaceQuery({
    required: true,
    description: namespaceParam('The first set (required).'),
    example: 'host',
  })
  a?: string;

  @NamespaceQuery({
    required: true,
    description: namespaceParam('The second set (required).'),
    example: 'web-1',
  })
  b?: string;

  @TimeQuery({ description: timeParam('The instant to compare at; default now.'), example: '-15m' })
  at?: number;

  @InterfacesQuery()
  interfaces?: string;
}
