import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { runCommand } from '../../helpers/docker-engine.js';
import { httpJson, takeSnapshot } from '../../helpers/http-json.js';

export interface ReportEvidence {
  kind: string;
  key: string;
  namespace?: string | null;
  metric?: string;
  increase?: number;
  value?: string;
  host?: string | null;
  atCreation?: boolean;
}

export interface ReportSuspect {
  rank: number;
  key: string;
  kinds: string[];
  explanation: string;
  evidence: ReportEvidence[];
}

export interface ScenarioReport {
  suspects: ReportSuspect[];
  notes: string[];
  incident: { namespace: string | null };
}

/**
 * A listener that never accepts, with `backlog` asked of listen() (the kernel caps it at somaxconn), and
 * `clients` connections to it, all inside the netns of `pid`: every SYN that finds the accept queue full is a
 * real TcpExt ListenOverflows. Waits `holdSeconds` so SYN retransmissions are counted too.
 */
export async function acceptQueueBurst(
  pid: number,
  port: number,
  clients: number,
  holdSeconds = 3,
): Promise<void> {
  const script = [
    'import socket, time',
    's = socket.socket()',
    's.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)',
    `s.bind(("127.0.0.1", ${port}))`,
    's.listen(128)',
    'cs = []',
    `for _ in range(${clients}):`,
    '    c = socket.socket()',
    '    c.setblocking(False)',
    `    c.connect_ex(("127.0.0.1", ${port}))`,
    '    cs.append(c)',
    `time.sleep(${holdSeconds})`,
  ].join('\n');
  await runCommand('nsenter', [`--net=/proc/${pid}/ns/net`, '/usr/bin/python3', '-c', script], 60_000);
}

/** An agent serving the API at `baseUrl`: a child process (RunningAgent) or one in this process. */
export interface AgentAt {
  readonly baseUrl: string;
}

/** POST /snapshots: the agent takes one now (asserts 201). */
export async function snapshot(agent: AgentAt): Promise<void> {
  await takeSnapshot(agent.baseUrl);
}

export async function openIncident(agent: AgentAt, body: Record<string, unknown>): Promise<{ id: number }> {
  const created = await httpJson<{ id: number }>(agent.baseUrl, '/api/v1/incidents', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (created.status !== 201)
    throw new Error(`POST /incidents answered ${created.status}: ${JSON.stringify(created.body)}`);
  return created.body;
}

export async function report(agent: AgentAt, id: number, query = ''): Promise<ScenarioReport> {
  const answer = await httpJson<ScenarioReport>(agent.baseUrl, `/api/v1/incidents/${id}/report${query}`);
  if (answer.status !== 200)
    throw new Error(`report answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** The first suspects, for assertion messages. */
export function topOf(report: ScenarioReport, n = 3): string {
  return JSON.stringify(
    report.suspects.slice(0, n).map((s) => ({ key: s.key, kinds: s.kinds, explanation: s.explanation })),
    null,
    1,
  );
}

/** What a scenario expects of the suspect its incident report ranks first. */
export interface ExpectedFirstCause {
  /** The sysctl key ranked #1. */
  readonly key: string;
  /** Evidence kinds it carries (among others, unless `onlyTheseKinds`). */
  readonly kinds?: readonly string[];
  /** Its kinds are exactly `kinds`, in that order. */
  readonly onlyTheseKinds?: boolean;
  /** Evidence kinds it must not carry. */
  readonly withoutKinds?: readonly string[];
  /** Facts its explanation states, each a pattern it must match. */
  readonly explains?: readonly RegExp[];
  /** Red herrings: keys that, if suspected at all, rank below #1. */
  readonly herrings?: readonly string[];
  /** No suspect's evidence comes from a namespace set other than the incident's (the host's may). */
  readonly nothingFromOtherSets?: boolean;
}

/** Every piece of evidence is the incident set's, the host's, or of no set: no other set is blamed. */
export function assertNothingBlamedFromOtherSets(body: ScenarioReport): void {
  for (const suspect of body.suspects)
    for (const evidence of suspect.evidence)
      assert.ok(
        evidence.namespace === undefined ||
          evidence.namespace === null ||
          evidence.namespace === 'host' ||
          evidence.namespace === body.incident.namespace,
        `evidence from another set blamed: ${JSON.stringify(evidence)}`,
      );
}

/** Asserts the cause ranked #1 is `expected.key`, with its evidence kinds and explanation; returns it. */
export function assertCauseRankedFirst(body: ScenarioReport, expected: ExpectedFirstCause): ReportSuspect {
  const top = body.suspects[0];
  assert.equal(top?.key, expected.key, topOf(body));
  if (expected.onlyTheseKinds === true) assert.deepEqual(top.kinds, expected.kinds ?? []);
  else for (const kind of expected.kinds ?? []) assert.ok(top.kinds.includes(kind), topOf(body));
  for (const kind of expected.withoutKinds ?? [])
    assert.ok(!top.kinds.includes(kind), `${kind} is not among its kinds: ${topOf(body)}`);
  for (const fact of expected.explains ?? []) assert.match(top.explanation, fact);
  for (const key of expected.herrings ?? []) {
    const herring = body.suspects.find((s) => s.key === key);
    assert.ok(!herring || herring.rank > 1, `${key} outranks the cause: ${topOf(body, 5)}`);
  }
  if (expected.nothingFromOtherSets === true) assertNothingBlamedFromOtherSets(body);
  return top;
}

/** A process in a netns holding client connections open until `stop()`. */
export interface HeldConnections {
  readonly connected: number;
  stop(): Promise<void>;
}

/**
 * A listener on `port` and up to `clients` blocking connections to it, all in the netns of `pid`; each
 * client takes an ephemeral port from the netns's own ip_local_port_range, so the range runs out for real
 * (EADDRNOTAVAIL). Resolves once every attempt is made, with how many connected; held until `stop()`.
 */
export async function holdConnections(pid: number, port: number, clients: number): Promise<HeldConnections> {
  const script = [
    'import socket, sys',
    's = socket.socket()',
    's.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)',
    `s.bind(("127.0.0.1", ${port}))`,
    's.listen(256)',
    'cs = []',
    `for _ in range(${clients}):`,
    '    c = socket.socket()',
    '    try:',
    `        c.connect(("127.0.0.1", ${port}))`,
    '        cs.append(c)',
    '    except OSError:',
    '        c.close()',
    'print("ready", len(cs), flush=True)',
    'sys.stdin.read()',
  ].join('\n');
  const child = spawn('nsenter', [`--net=/proc/${pid}/ns/net`, '/usr/bin/python3', '-c', script], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const connected = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /ready (\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) =>
      reject(new Error(`the connection holder exited (${code}) before it was ready`)),
    );
  });
  return {
    connected,
    stop: async () => {
      child.stdin.end();
      child.kill();
      await exited;
    },
  };
}

/** Sets a namespaced key inside the netns of `pid` with the host's sysctl(8). */
export async function setInNetns(pid: number, key: string, value: string): Promise<void> {
  await runCommand('nsenter', [`--net=/proc/${pid}/ns/net`, 'sysctl', '-qw', `${key}=${value}`]);
}

/**
 * Creates up to `wanted` SysV message queues in the IPC namespace of `pid` (msgget(IPC_PRIVATE)); they live
 * as long as that namespace. Resolves with how many the kernel allowed (msgmni of that namespace).
 */
export async function createMessageQueues(pid: number, wanted: number): Promise<number> {
  const script = [
    'import ctypes',
    'libc = ctypes.CDLL(None, use_errno=True)',
    'made = 0',
    `for _ in range(${wanted}):`,
    '    if libc.msgget(0, 0o1000 | 0o600) >= 0:',
    '        made += 1',
    'print(made)',
  ].join('\n');
  const { stdout } = await runCommand('nsenter', [
    `--ipc=/proc/${pid}/ns/ipc`,
    '/usr/bin/python3',
    '-c',
    script,
  ]);
  return Number(stdout.trim());
}
