import { measureAsSample } from '../domain/limits/pair-usage-samples.js';
import { parseSocketTable } from '../domain/limits/parse-socket-table.js';
import { socketTablesToRead } from '../domain/limits/parse-sockstat.js';
import type { CollectionTarget, Collector, CollectorOutput } from './collector.js';
import { ownNetFiles } from './net-target.js';

const TABLES = ['tcp', 'tcp6', 'udp', 'udp6'] as const;

/**
 * Sockets of each netns whose local port lies in that netns's own ip_local_port_range (TIME_WAIT included), from
 * /proc/PID/net/{tcp,tcp6,udp,udp6}. The range is per netns and only the set's sysctl readings know it, so the
 * local ports travel as a pending usage and are counted at pairing (pair-usage-samples.ts). A table the netns's
 * sockstat counts as empty is not read (the kernel walks its whole global hash for each read of tcp/tcp6, which
 * on a node of idle pods was most of this collector's cost).
 */
export class EphemeralPortsCollector implements Collector {
  readonly id = 'ephemeral-ports';

  async collect(target: CollectionTarget): Promise<CollectorOutput> {
    const files = ownNetFiles(target);
    if (files === null) return {};
    const [sockstat, sockstat6] = await Promise.all([files.read('sockstat'), files.read('sockstat6')]);
    const worth = socketTablesToRead(sockstat, sockstat6);
    const texts = await Promise.all(TABLES.map((t) => (worth.has(t) ? files.read(t) : Promise.resolve(''))));
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
