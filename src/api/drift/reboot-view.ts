import type { RebootRow } from '../../storage/repositories/boots.repository.js';
import type { RebootView } from './drift.views.js';

export function rebootView(r: RebootRow): RebootView {
  return {
    firstSeenAt: new Date(r.taken_at).toISOString(),
    bootId: r.boot_id,
    previousBootId: r.previous_boot_id,
  };
}
