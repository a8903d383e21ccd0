import { timeParam } from '../../docs/api-doc-texts.js';
import { KeyPageQuery } from '../params/key-page.query.js';
import { TextQuery, TimeQuery } from '../params/query-params.js';

const AT = { description: timeParam('The instant; default now.'), example: '-1h' };

/** Query of GET /namespaces and GET /namespaces/:ns. */
export class NamespacesAtQuery {
  @TimeQuery(AT)
  at?: number;
}

/** Query of GET /namespaces/:ns/settings. */
export class EffectiveSettingsQuery extends KeyPageQuery {
  @TimeQuery(AT)
  at?: number;

  @TextQuery(256, { maxLength: 256, description: 'Only keys starting with this text.', example: 'net.ipv4.' })
  prefix?: string;
}
