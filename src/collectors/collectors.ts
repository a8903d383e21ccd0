import type { Collector } from './collector.js';
import { ConntrackCollector } from './conntrack.collector.js';
import { SysctlCollector } from './sysctl.collector.js';

/** Every collector, registered explicitly and run in this order on each target. */
export function defaultCollectors(): Collector[] {
  return [new SysctlCollector(), new ConntrackCollector()];
}
