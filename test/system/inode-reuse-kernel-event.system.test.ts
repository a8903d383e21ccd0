import assert from 'node:assert/strict';
import { accessSync, constants, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { waitOutNetRatelimitWindow } from '../helpers/conntrack-traffic.js';
import type { KernelEventPage, KernelEventView } from '../../src/api/kernel-events/kernel-event.views.js';
import { tempDatabase } from '../helpers/agent-process.js';
import {
  docker,
  DockerScope,
  dockerAvailable,
  ensureTestImage,
  runCommand,
  TEST_IMAGE,
  type TestContainer,
  uniqueTestName,
} from '../helpers/docker-engine.js';
import { httpJson, waitFor } from '../helpers/http-json.js';
import { startKmsgAgent } from '../helpers/kmsg-agent.js';
import { needsRoot } from '../helpers/privileges.js';

/*
 * Issue 13 item 1, kernel events: a "table full in netns N" line printed by a container that reused a removed
 * container's inode numbers, before any snapshot saw the new one, belongs to the new container.
 */

const CONNTRACK_MAX = '/proc/sys/net/netfilter/nf_conntrack_max';
const LOW_MAX = 64;
const REUSE_ATTEMPTS = 12;
const TRACK_RULE = ['OUTPUT', '-m', 'conntrack', '--ctstate', 'NEW,ESTABLISHED,RELATED', '-j', 'ACCEPT'];
/** One UDP datagram to each of `count` closed ports of 127.0.0.1: `count` new conntrack entries. */
const SENDER = `
const socket = require('node:dgram').createSocket('udp4');
const count = Number(process.argv[1]);
let pending = count;
socket.on('error', () => process.exit(0));
for (let i = 0; i < count; i++) socket.send('kl', 20000 + i, '127.0.0.1', (e) => { if (e || --pending === 0) process.exit(0); });
`;

function netOf(pid: number): string {
  return readlinkSync(`/proc/${pid}/ns/net`);
}

function inodesOf(pid: number): string {
  return ['net', 'ipc', 'uts'].map((type) => readlinkSync(`/proc/${pid}/ns/${type}`)).join(' ');
}

async function runNamed(scope: DockerScope, name: string, args: readonly string[]): Promise<TestContainer> {
  scope.track(name);
  const id = (await docker(['run', '-d', '--name', name, ...args, TEST_IMAGE, 'sleep', '3600'])).trim();
  const pid = Number((await docker(['inspect', '--format', '{{.State.Pid}}', id])).trim());
  return { id, name, pid };
}

/** Inside the container's netns only (the host's iptables and node): track new flows and overflow the table. */
async function overflowConntrack(pid: number, count: number): Promise<void> {
  const inNet = (argv: readonly string[]) =>
    runCommand('nsenter', [`--net=/proc/${pid}/ns/net`, '--', ...argv], 60_000);
  try {
    await inNet(['iptables', '-C', ...TRACK_RULE]);
  } catch {
    await inNet(['iptables', '-A', ...TRACK_RULE]);
  }
  const saved = readFileSync(CONNTRACK_MAX, 'utf8').trim();
  if (Number(saved) <= LOW_MAX)
    throw new Error(`nf_conntrack_max is already ${saved}: another test holds it low`);
  try {
    writeFileSync(CONNTRACK_MAX, String(LOW_MAX));
    await inNet([process.execPath, '-e', SENDER, String(count)]);
  } finally {
    writeFileSync(CONNTRACK_MAX, saved);
  }
  assert.equal(readFileSync(CONNTRACK_MAX, 'utf8').trim(), saved, 'nf_conntrack_max restored');
}

test('a table-full line from a container that reused a removed one’s inodes is the new container’s', async (t) => {
  if (!needsRoot(t) || !(await dockerAvailable(t))) return;
  accessSync('/dev/kmsg', constants.R_OK);
  await ensureTestImage();
  const scope = new DockerScope();
  const db = tempDatabase('inode-reuse-kmsg');
  try {
    const old = await runNamed(scope, uniqueTestName('kmsg-old'), []);
    const oldInodes = inodesOf(old.pid);
    const agent = await startKmsgAgent({ dbPath: db.dbPath });
    try {
      await agent.kmsg.pollOnce(); // first run: from the end of the buffer
      assert.equal((await httpJson(agent.baseUrl, '/api/v1/snapshots', { method: 'POST' })).status, 201);
      await docker(['rm', '-f', old.id]);
      let reused: TestContainer | undefined;
      for (let attempt = 0; attempt < REUSE_ATTEMPTS && !reused; attempt++) {
        const candidate = await runNamed(scope, uniqueTestName('kmsg-new'), []);
        if (inodesOf(candidate.pid) === oldInodes) reused = candidate;
        else await docker(['rm', '-f', candidate.id]);
      }
      assert.ok(reused, `the kernel did not reuse ${oldInodes} within ${REUSE_ATTEMPTS} containers`);
      const inode = Number(/\[(\d+)\]/.exec(netOf(reused.pid))?.[1]);

      // The line is stored before any snapshot has seen the new container.
      let event: KernelEventView | undefined;
      for (let attempt = 1; attempt <= 3 && !event; attempt++) {
        if (attempt > 1) await waitOutNetRatelimitWindow(); // net_ratelimit window
        await overflowConntrack(reused.pid, 200 * attempt);
        event = await waitFor(
          async () => {
            await agent.kmsg.pollOnce();
            const page = await httpJson<KernelEventPage>(
              agent.baseUrl,
              '/api/v1/kernel-events?signature=conntrack-table-full&from=-10m',
            );
            return page.body.items.find((i) => i.netInode === inode);
          },
          3_000,
          'a conntrack-table-full event',
        ).catch(() => undefined);
      }
      assert.ok(event, `no table-full event for netns ${inode}`);

      assert.equal((await httpJson(agent.baseUrl, '/api/v1/snapshots', { method: 'POST' })).status, 201);
      const page = await httpJson<KernelEventPage>(
        agent.baseUrl,
        '/api/v1/kernel-events?signature=conntrack-table-full&from=-10m',
      );
      const after = page.body.items.find((i) => i.id === event.id);
      assert.ok(after);
      assert.deepEqual(after.owners, [reused.name], 'the line names the container that printed it');
      assert.match(after.namespace ?? '', /~2$/, 'and its set, the second lifetime of those numbers');
      const byOld = await httpJson<KernelEventPage>(
        agent.baseUrl,
        `/api/v1/kernel-events?namespace=${old.name}&from=-10m`,
      );
      assert.deepEqual(
        byOld.body.items.map((i) => i.id),
        [],
        'the removed container has no kernel event',
      );
    } finally {
      await agent.close();
    }
  } finally {
    await scope.cleanup();
    db.cleanup();
  }
});
