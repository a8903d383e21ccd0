import assert from 'node:assert/strict';

export interface JsonResponse<T = unknown> {
  readonly status: number;
  readonly body: T;
}

/** Fetches a path of the agent and parses the JSON body (every answer of the agent is JSON). */
export async function httpJson<T = Record<string, unknown>>(
  baseUrl: string,
  pathAndQuery: string,
  init: RequestInit = {},
): Promise<JsonResponse<T>> {
  const response = await fetch(`${baseUrl}${pathAndQuery}`, init);
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(
      `${init.method ?? 'GET'} ${pathAndQuery} answered ${response.status} with non-JSON: ${text.slice(0, 200)}`,
    );
  }
  return { status: response.status, body: body as T };
}

/** Polls until `probe` returns a value (not undefined) or the time runs out. */
export async function waitFor<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits until the agent at `baseUrl` reports a committed snapshot in /health (its startup snapshot). */
export async function waitForStartupSnapshot(baseUrl: string, timeoutMs = 30_000): Promise<void> {
  await waitFor(
    async () =>
      (await httpJson<{ lastSnapshot: unknown }>(baseUrl, '/api/v1/health')).body.lastSnapshot ?? undefined,
    timeoutMs,
    'the startup snapshot',
  );
}

/** POST /api/v1/snapshots to the agent at `baseUrl`: asserts it took one (201). */
export async function takeSnapshot(baseUrl: string): Promise<void> {
  const taken = await httpJson(baseUrl, '/api/v1/snapshots', { method: 'POST' });
  assert.equal(taken.status, 201, JSON.stringify(taken.body));
}
