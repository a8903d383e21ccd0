import { runCommand } from '../../helpers/docker-engine.js';
import type { RunningAgent } from '../../helpers/agent-process.js';
import { httpJson } from '../../helpers/http-json.js';

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

export interface ScenarioReport {
  suspects: { rank: number; key: string; kinds: string[]; explanation: string; evidence: ReportEvidence[] }[];
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

export async function snapshot(agent: RunningAgent): Promise<void> {
  const taken = await httpJson(agent.baseUrl, '/api/v1/snapshots', { method: 'POST' });
  if (taken.status !== 201) throw new Error(`POST /snapshots answered ${taken.status}`);
}

export async function openIncident(
  agent: RunningAgent,
  body: Record<string, unknown>,
): Promise<{ id: number }> {
  const created = await httpJson<{ id: number }>(agent.baseUrl, '/api/v1/incidents', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (created.status !== 201) throw new Error(`POST /incidents answered ${created.status}`);
  return created.body;
}

export async function report(agent: RunningAgent, id: number, query = ''): Promise<ScenarioReport> {
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
