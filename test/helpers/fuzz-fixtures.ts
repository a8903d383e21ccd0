import { waitFor } from './http-json.js';
import type { FuzzContext } from './fuzz-catalog.js';
import { rawRequest } from './raw-http.js';

interface JsonAnswer {
  status: number;
  body: Record<string, unknown>;
}

async function call(baseUrl: string, method: string, path: string, body?: unknown): Promise<JsonAnswer> {
  const response = await rawRequest(baseUrl, {
    method,
    path,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (response.error) throw new Error(`${method} ${path}: ${response.error}`);
  const parsed = response.text === '' ? {} : (JSON.parse(response.text) as Record<string, unknown>);
  return { status: response.status, body: parsed };
}

async function expectStatus(baseUrl: string, method: string, path: string, status: number, body?: unknown) {
  const answer = await call(baseUrl, method, path, body);
  if (answer.status !== status)
    throw new Error(
      `${method} ${path} answered ${answer.status}, not ${status}: ${JSON.stringify(answer.body)}`,
    );
  return answer.body;
}

/** A valid bundle cut down to `maxKeys` host keys (and no namespace sets), to keep imports small. */
export function trimBundle(bundle: Record<string, unknown>, maxKeys: number): Record<string, unknown> {
  const values = bundle.values as Record<string, unknown>;
  const classification = bundle.classification as Record<string, unknown>;
  const keys = Object.keys(values).sort().slice(0, maxKeys);
  const rest = { ...bundle };
  delete rest.namespaces;
  return {
    ...rest,
    values: Object.fromEntries(keys.map((k) => [k, values[k]])),
    classification: Object.fromEntries(keys.map((k) => [k, classification[k]])),
  };
}

/**
 * Waits for the first snapshot, then creates one of everything an id or name can point at (incident,
 * webhook with a delivery, baseline) and gathers real ids, keys and namespace names from the agent.
 */
export async function prepareFixtures(baseUrl: string, webhookUrl: string): Promise<FuzzContext> {
  await waitFor(
    async () => {
      const page = await call(baseUrl, 'GET', '/api/v1/snapshots');
      return page.status === 200 && (page.body.items as unknown[]).length > 0 ? true : undefined;
    },
    30_000,
    'the first snapshot',
  );
  const snapshots = await expectStatus(baseUrl, 'GET', '/api/v1/snapshots', 200);
  const exported = await expectStatus(baseUrl, 'GET', '/api/v1/export', 200);
  const bundle = trimBundle(exported, 40);
  await expectStatus(baseUrl, 'POST', '/api/v1/baselines?name=fuzz-base', 201, bundle);
  const incident = await expectStatus(baseUrl, 'POST', '/api/v1/incidents', 201, {
    title: 'fixture',
    startedAt: '-1h',
    namespace: 'host',
    symptoms: ['resets'],
  });
  const webhook = await expectStatus(baseUrl, 'POST', '/api/v1/webhooks', 201, { url: webhookUrl });
  const ping = await expectStatus(baseUrl, 'POST', `/api/v1/webhooks/${String(webhook.id)}/test`, 202);
  const namespaces = await expectStatus(baseUrl, 'GET', '/api/v1/namespaces', 200);
  const names = (
    namespaces.items as { id?: number; identity?: string; owners?: { name?: string }[] }[]
  ).flatMap((ns) =>
    [String(ns.id ?? ''), ns.identity ?? '', ...(ns.owners ?? []).map((o) => o.name ?? '')].filter(Boolean),
  );
  const settings = await expectStatus(baseUrl, 'GET', '/api/v1/settings?prefix=net.core.', 200);
  const keys = (settings.items as { key: string }[]).slice(0, 10).map((s) => s.key);
  return {
    snapshotIds: (snapshots.items as { id: number }[]).map((s) => s.id),
    incidentIds: [incident.id as number],
    webhookIds: [webhook.id as number],
    deliveryIds: [String(ping.id)],
    baselineNames: ['fuzz-base'],
    namespaces: names,
    keys: [...keys, ...Object.keys(bundle.values as object).slice(0, 5)],
    webhookUrl,
    bundle,
  };
}
