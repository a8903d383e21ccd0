import { namespaceParam, timeParam } from '../../docs/api-doc-texts.js';
import { SCOPES } from '../../domain/sysctl/sysctl-types.js';
import { EnumQuery, NamespaceQuery, TextQuery, TimeQuery } from '../params/query-params.js';

/** Query of GET /settings. */
export class SettingsListQuery {
  @TextQuery(256, {
    maxLength: 256,
    description: 'Only keys starting with this text.',
    example: 'net.netfilter.',
  })
  prefix?: string;

  @EnumQuery(SCOPES, { description: 'Only keys of this scope.', example: 'net' })
  scope?: string;

  @TextQuery(256, { maxLength: 256, description: 'Only keys containing this text.', example: 'somaxconn' })
  q?: string;

  @TimeQuery({ description: timeParam('The instant; default now.'), example: '-1h' })
  at?: number;

  @NamespaceQuery({
    description: namespaceParam('Values as seen in this set; default `host`.'),
    example: 'host',
  })
  namespace?: string;
}

/** Query of GET /settings/:key/history. */
export class SettingHistoryQuery {
  @TimeQuery({ description: timeParam('Start of the window; default: the beginning.'), example: '-7d' })
  from?: number;

  @TimeQuery({ description: timeParam('End of the window; default now.'), example: '2026-11-29T14:03:00Z' })
  to?: number;

  @NamespaceQuery({ description: namespaceParam('The namespace set; default `host`.'), example: 'host' })
  namespace?: string;
}
