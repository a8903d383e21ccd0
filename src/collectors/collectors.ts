import type { Collector } from './collector.js';
import { NamespaceDumps } from './namespace-dump.js';
import { ConntrackCollector } from './conntrack.collector.js';
import { EphemeralPortsCollector } from './ephemeral-ports.collector.js';
import { ListenOverflowsCollector } from './listen-overflows.collector.js';
import { NeighboursCollector } from './neighbours.collector.js';
import { SysctlCollector } from './sysctl.collector.js';
import { SysvIpcCollector } from './sysv-ipc.collector.js';
import { TasksCollector } from './tasks.collector.js';
import { TcpMemoryCollector } from './tcp-memory.collector.js';

/**
 * Every collector, registered explicitly and run in this order on each target. Usage collectors report measures;
 * build-target-records.ts pairs them with the limits of the set (or of the host, for global keys).
 */
export function defaultCollectors(): Collector[] {
  const dumps = new NamespaceDumps();
  return [
    new SysctlCollector(dumps),
    new ConntrackCollector(),
    new EphemeralPortsCollector(),
    new NeighboursCollector(),
    new TcpMemoryCollector(),
    new ListenOverflowsCollector(),
    new TasksCollector(),
    new SysvIpcCollector(dumps),
  ];
}
