import { measureAsSample } from '../domain/limits/pair-usage-samples.js';
import { parseSocketTable } from '../domain/limits/parse-socket-table.js';
import type { CollectionTarget, Collector, CollectorOutput } from './collector.js';
import { ownNetFiles } from './net-target.js';

const TABLES = ['tcp', 'tcp6', 'udp', 'udp6'] as const;

/**
 * Sockets of each netns whose local port lies in that netns's own ip_local_port_range (TIME_WAIT included), from
 * /proc/PID/net/{tcp,tcp6,udp,udp6}. The range is per netns and only the set's sysctl readings know it, so the
 * local ports travel as a pending usage and are counted at pairing (pair-usage-samples.ts).
 */
export class EphemeralPortsCollector implements Collector {
  readonly id = 'ephemeral-ports';

  async collect(target: CollectionTarget): Promise<CollectorOutput> {
    const files = ownNetFiles(target);
    if (files === null) return {};
    const texts = await Promise.all(TABLES.map((t) => files.read(t)));
    if (texts.every((text) => text === null)) return {};
    const localPorts = texts.flatMap((text) =>
      text === null ? [] : parseSocketTable(text).map((r) => r.localPort),
    );
    return {
      samples: [
        measureAsSample(
          {
            metric: 'ports.in_use',
            usage: Number.NaN,
            limitKey: 'net.ipv4.ip_local_port_range',
            usageKey: '/proc/PID/net/{tcp,tcp6,udp,udp6}',
          },
          { kind: 'ports-in-range', localPorts },
        ),
      ],
    };
  }
}
