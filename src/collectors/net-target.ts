import { readNetFilesInNetns } from '../os/netns-files.reader.js';
import { netFileOf, readOptionalFile } from '../os/proc-file.reader.js';
import type { CollectionTarget } from './collector.js';

/** Every /proc/net file a collector reads for a netns: one helper reads them all where no process is inside. */
const NET_FILES = [
  'tcp',
  'tcp6',
  'udp',
  'udp6',
  'sockstat',
  'sockstat6',
  'stat/nf_conntrack',
  'arp',
  'netstat',
] as const;
export type NetFileName = (typeof NET_FILES)[number];

/** The /proc/net files of a target's own netns: `read` answers null for a file the kernel does not have. */
export interface NetFiles {
  read(name: NetFileName): Promise<string | null>;
}

const inNetns = new WeakMap<CollectionTarget, Promise<Map<string, string>>>();

/**
 * The files of the target's own netns, or null when the target measures none: it shares the host's netns
 * (`--network host`, whose counters the host set already samples), or another set sharing its netns holds that
 * netns's usage (`ownsNetnsUsage` false: one netns, one usage series). Read through /proc/PID/net of a process
 * inside, without entering; a named netns nobody runs in any more is read inside the netns itself (one nsenter
 * for all files, shared by the collectors of the target), so its usage stays current instead of frozen.
 */
export function ownNetFiles(target: CollectionTarget): NetFiles | null {
  const { set } = target;
  const own =
    set.identity === 'host' || (set.differingTypes.includes('net') && target.ownsNetnsUsage !== false);
  if (!own) return null;
  const pid = set.pid;
  if (pid !== null)
    return { read: (name) => readOptionalFile(netFileOf(target.procRoot, pid, ...name.split('/'))) };
  const netnsFile = set.entry.net;
  if (netnsFile === undefined) return null;
  return {
    read: async (name) => {
      let files = inNetns.get(target);
      if (!files) {
        files = readNetFilesInNetns(target.procRoot, netnsFile, NET_FILES, target.timeoutMs);
        inNetns.set(target, files);
      }
      return (await files).get(name) ?? null;
    },
  };
}

/** The host set's PID (PID 1 or the agent), for host-only measures; null for every other set. */
export function hostPid(target: CollectionTarget): number | null {
  return target.set.identity === 'host' ? target.set.pid : null;
}
