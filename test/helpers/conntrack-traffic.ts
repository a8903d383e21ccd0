import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { netnsExec } from './netns-scope.js';

const TRACK_RULE = ['OUTPUT', '-m', 'conntrack', '--ctstate', 'NEW,ESTABLISHED,RELATED', '-j', 'ACCEPT'];
/** Destination ports of the flows: FIRST_PORT … FIRST_PORT + count - 1, all on 127.0.0.1. */
const FIRST_PORT = 20_000;
const MAX_FLOWS = 40_000;

/**
 * Run by the host's node inside the namespace: one UDP socket sends one datagram to each of `count` distinct
 * ports of 127.0.0.1, then exits. Nothing listens, so every flow stays UNREPLIED (nf_conntrack_udp_timeout, 30 s
 * by default) and unconnected UDP sockets ignore the ICMP port-unreachable answers.
 */
const SENDER = `
const dgram = require('node:dgram');
const count = Number(process.argv[1]);
const first = Number(process.argv[2]);
const socket = dgram.createSocket('udp4');
let pending = count;
socket.on('error', (error) => { console.error(error.message); process.exit(1); });
for (let i = 0; i < count; i++) {
  socket.send('kl', first + i, '127.0.0.1', (error) => {
    if (error) { console.error(error.message); process.exit(1); }
    if (--pending === 0) socket.close();
  });
}
`;

/** Switches conntrack on in the namespace: loopback up and a rule using the conntrack match (added once). */
export async function enableConntrack(netnsName: string): Promise<void> {
  await netnsExec(netnsName, ['ip', 'link', 'set', 'lo', 'up']);
  try {
    await netnsExec(netnsName, ['iptables', '-C', ...TRACK_RULE]);
  } catch {
    await netnsExec(netnsName, ['iptables', '-A', ...TRACK_RULE]);
  }
}

/**
 * Inside the named namespace, switches conntrack tracking on and creates `count` new tracked flows (UDP to
 * 127.0.0.1 only, distinct destination ports). The kernel confirms each entry while the datagram is sent, so
 * they are counted when this resolves; they expire after the UDP timeout.
 */
export async function createTrackedFlows(netnsName: string, count: number): Promise<void> {
  if (!Number.isInteger(count) || count < 1 || count > MAX_FLOWS) {
    throw new Error(`createTrackedFlows: count must be an integer in 1..${MAX_FLOWS}, got ${count}`);
  }
  await enableConntrack(netnsName);
  await netnsExec(netnsName, [process.execPath, '-e', SENDER, String(count), String(FIRST_PORT)], 60_000);
}

async function procCount(netnsName: string): Promise<number> {
  const { stdout } = await netnsExec(netnsName, ['cat', '/proc/sys/net/netfilter/nf_conntrack_count']);
  return parseCount(stdout, 'nf_conntrack_count');
}

function parseCount(text: string, source: string): number {
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isInteger(value) || value < 0) {
    throw new Error(`${source}: not a count: ${JSON.stringify(text)}`);
  }
  return value;
}

/**
 * Conntrack entries of the namespace as the kernel counts them (its /proc/sys/net/netfilter/nf_conntrack_count),
 * cross-checked with `conntrack -C`, which must fall between two procfs reads taken around it.
 */
export async function conntrackCount(netnsName: string): Promise<number> {
  const before = await procCount(netnsName);
  const tool = parseCount((await netnsExec(netnsName, ['conntrack', '-C'])).stdout, 'conntrack -C');
  const after = await procCount(netnsName);
  if (tool < Math.min(before, after) || tool > Math.max(before, after)) {
    throw new Error(
      `conntrack count of ${netnsName} disagrees: nf_conntrack_count ${before} then ${after}, conntrack -C ${tool}`,
    );
  }
  return after;
}

/**
 * The kernel prints "table full" through net_ratelimit(): at most net.core.message_burst lines in a window of
 * net.core.message_cost seconds, opened by the first message. A flood of an earlier test may have opened a
 * window that is still exhausted, and a flood started inside it prints nothing at all. Waiting one window
 * before a flood that must be logged makes the flood open a window of its own, so its first lines are printed.
 */
export async function waitOutNetRatelimitWindow(): Promise<void> {
  const seconds = Number(readFileSync('/proc/sys/net/core/message_cost', 'utf8').trim());
  await sleep((Number.isFinite(seconds) && seconds >= 0 ? seconds : 5) * 1000 + 250);
}
