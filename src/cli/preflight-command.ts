import type { INestApplicationContext } from '@nestjs/common';
import { readFileSync, statSync } from 'node:fs';
import { BadParameterError } from '../common/api-errors.js';
import { MAX_MANIFEST_CHARS, type PreflightBody } from '../api/preflight/preflight.dto.js';
import { PreflightService } from '../api/preflight/preflight.service.js';
import type { PreflightResult } from '../api/preflight/preflight.views.js';
import { CliFailure, CliUsageError, type CliInvocation } from './cli-args.js';

/** What a command prints and the status it exits with (preflight: 1 when something is rejected). */
export interface CommandOutput {
  readonly text: string;
  readonly status: number;
}

const ENUMS: Readonly<Record<string, readonly string[]>> = {
  runtime: ['docker', 'compose', 'kubernetes'],
  network: ['private', 'host'],
  ipc: ['private', 'host'],
};

/** The request body of `preflight <file>`: the file as a manifest, with the command line's overrides. */
export function preflightBodyOf(invocation: CliInvocation): PreflightBody {
  const file = invocation.args[0] ?? '';
  let manifest: string;
  try {
    if (statSync(file).size > MAX_MANIFEST_CHARS) {
      throw new CliUsageError(`${file} is larger than ${MAX_MANIFEST_CHARS} bytes`);
    }
    manifest = readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof CliUsageError) throw error;
    throw new CliUsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const body: Record<string, string> = { manifest };
  for (const name of ['runtime', 'network', 'ipc'] as const) {
    const value = invocation.options[name];
    if (value === undefined) continue;
    if (!ENUMS[name]?.includes(value)) {
      throw new CliUsageError(`--${name} must be one of ${ENUMS[name]?.join(', ') ?? ''}`);
    }
    body[name] = value;
  }
  if (invocation.options.service !== undefined) body.service = invocation.options.service;
  return body as PreflightBody;
}

/** Asks the agent's database in this process (read-only), as the other read commands do. */
export async function preflightInProcess(
  context: INestApplicationContext,
  body: PreflightBody,
): Promise<PreflightResult> {
  try {
    return await context.get(PreflightService).preflight(body);
  } catch (error) {
    if (error instanceof BadParameterError) throw new CliUsageError(error.message);
    throw error;
  }
}

/** Asks a running agent over HTTP (`--url http://host:9100`), for CI runners that are not the host. */
export async function preflightOverHttp(
  url: string,
  token: string | undefined,
  body: PreflightBody,
): Promise<PreflightResult> {
  let endpoint: URL;
  try {
    endpoint = new URL('api/v1/preflight', url.endsWith('/') ? url : `${url}/`);
  } catch {
    throw new CliUsageError(`--url '${url.slice(0, 80)}' is not a URL`);
  }
  if (endpoint.protocol !== 'http:' && endpoint.protocol !== 'https:') {
    throw new CliUsageError('--url must be http(s)');
  }
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new CliFailure(
      `cannot reach ${endpoint.origin}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const answer = (await response.json().catch(() => null)) as { message?: unknown } | null;
  if (response.status === 400) throw new CliUsageError(String(answer?.message ?? 'bad request'));
  if (!response.ok || answer === null) {
    throw new CliFailure(`the agent answered ${response.status}: ${String(answer?.message ?? '')}`);
  }
  return answer as PreflightResult;
}

/** The verdicts as a table, then what the container will not inherit, then the notes. */
export function formatPreflight(result: PreflightResult): string {
  const header = ['KEY', 'VALUE', 'VERDICT', 'KUBELET', 'REASON'];
  const rows = result.items.map((i) => [i.key, i.value, i.verdict, i.kubelet, i.reason ?? '']);
  const widths = header
    .slice(0, 4)
    .map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, c) => (c < 4 ? cell.padEnd(widths[c] ?? 0) : cell))
      .join('  ')
      .trimEnd();
  const rejected = result.items.filter((i) => i.verdict === 'rejected').length;
  const lines = [
    `preflight of ${result.source} (${result.runtime}, network ${result.network}, ipc ${result.ipc}) on kernel ` +
      `${result.kernelRelease ?? 'unknown'}: ${result.items.length} sysctls, ${rejected} rejected`,
  ];
  if (rows.length > 0) lines.push(line(header), ...rows.map(line));
  if (result.notInherited.length > 0) {
    lines.push('not inherited (the host is tuned; a new container gets the default unless it sets them):');
    for (const n of result.notInherited) lines.push(`  ${n.key}: host ${n.host}, container ${n.container}`);
  }
  for (const note of result.notes) lines.push(`note: ${note}`);
  return lines.join('\n');
}

export function preflightOutput(result: PreflightResult, json: boolean): CommandOutput {
  return {
    text: json ? JSON.stringify(result, null, 2) : formatPreflight(result),
    status: result.rejected ? 1 : 0,
  };
}
