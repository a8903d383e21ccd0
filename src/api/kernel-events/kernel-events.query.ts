import { namespaceParam, timeParam } from '../../docs/api-doc-texts.js';
import { KERNEL_SIGNATURE_IDS } from '../../domain/kernel-events/kernel-signatures.js';
import { EnumQuery, IntQuery, NamespaceQuery, TimeQuery } from '../params/query-params.js';

/** Query of GET /kernel-events. */
export class KernelEventsQuery {
  @TimeQuery({
    description: timeParam('Events that last until at least this time; default: the beginning.'),
    example: '-2h',
  })
  from?: number;

  @TimeQuery({
    description: timeParam('Events that started by this time; default now.'),
    example: '2026-11-29T14:03:00Z',
  })
  to?: number;

  @EnumQuery(KERNEL_SIGNATURE_IDS, {
    description: 'Only events of this signature.',
    example: 'conntrack-table-full',
  })
  signature?: string;

  @NamespaceQuery({
    description: namespaceParam('Only events the kernel attributed to this set.'),
    example: 'host',
  })
  namespace?: string;

  @IntQuery(1, 5000, {
    description: 'At most this many events, newest first: 1 to 5000 (default 500).',
    example: '100',
  })
  limit?: number;
}
