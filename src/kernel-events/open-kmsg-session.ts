import { bootWallTime } from '../domain/kernel-events/kernel-wall-time.js';
import { plainConntrackMeansInitNet } from '../domain/kernel-events/match-kernel-signature.js';
import { type KmsgCursor, type KmsgStart, planKmsgStart } from '../domain/kernel-events/plan-kmsg-start.js';
import { readBootId, readOsRelease, readUptimeSeconds } from '../os/boot-clock.reader.js';
import { KmsgReader } from '../os/kmsg.reader.js';
import { readNamespaceInodes } from '../os/namespace-inodes.reader.js';
import { KmsgSession } from './kmsg-session.js';
import type { KmsgSettings } from './kmsg.tokens.js';

export type OpenedSession = { session: KmsgSession; start: KmsgStart } | { error: string };

/**
 * Opens the device and decides where to start: the boot id and the stored cursor choose end / after / beginning
 * (planKmsgStart); the boot's wall time is measured once (now − uptime) for this session.
 */
export async function openKmsgSession(
  settings: KmsgSettings,
  now: number,
  loadCursor: () => Promise<KmsgCursor | null>,
): Promise<OpenedSession> {
  const reader = new KmsgReader(settings.path);
  try {
    reader.open();
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
  try {
    const bootId = readBootId(settings.procRoot);
    const bootWallMs = bootWallTime(now, readUptimeSeconds(settings.procRoot));
    const initNet = readNamespaceInodes(settings.procRoot, 1).net;
    const plainIsInit = plainConntrackMeansInitNet(readOsRelease(settings.procRoot));
    const start = planKmsgStart(await loadCursor(), bootId);
    const context = { plainConntrackNetInode: plainIsInit ? initNet : null };
    return { session: new KmsgSession(reader, { bootId, bootWallMs, context }, start), start };
  } catch (error) {
    reader.close();
    throw error;
  }
}
