import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type RunningAgent, startAgent, tempDatabase } from '../helpers/agent-process.js';
import {
  DockerScope,
  dockerAvailable,
  ensureTestImage,
  type TestContainer,
} from '../helpers/docker-engine.js';
import { waitForStartupSnapshot } from '../helpers/http-json.js';
import { NetnsScope } from '../helpers/netns-scope.js';
import { type OpenApiDocument, OpenApiContract } from '../helpers/openapi-contract.js';

const API = '/api/v1';

/**
 * The OpenAPI document against answers only a real host gives (test/e2e/contract.e2e.test.ts covers every
 * route on a captured procfs with the host alone): namespace sets owned by a Docker container (image, labels,
 * declared sysctls, network mode) and a named netns, their settings, diffs, limits, usage, an export of every
 * set, a baseline made of it, and an incident in the container with its report.
 */
describe('the OpenAPI document matches the answers about containers and named netns', () => {
  const db = tempDatabase('contract-namespaces');
  const containers = new DockerScope();
  const netns = new NetnsScope();
  let agent: RunningAgent;
  let contract: OpenApiContract;
  let container: TestContainer;
  let named: string;
  let ready = false;

  before(async (t) => {
    if (!(await dockerAvailable(t))) return;
    await ensureTestImage();
    container = await containers.run(['--sysctl', 'net.core.somaxconn=1024', '--label', 'team=contract'], {
      label: 'contract',
    });
    named = await netns.add('contract');
    agent = await startAgent({ DB_PATH: db.dbPath, SNAPSHOT_INTERVAL: '3600', LOG_LEVEL: 'warn' });
    await waitForStartupSnapshot(agent.baseUrl);
    contract = new OpenApiContract(
      (await (await fetch(`${agent.baseUrl}/docs-json`)).json()) as OpenApiDocument,
    );
    ready = true;
  });

  after(async () => {
    await agent?.stop();
    await containers.cleanup();
    await netns.cleanup();
    db.cleanup();
  });

  test('every namespace-bearing answer validates against the document', async (t) => {
    if (!ready) return t.skip('no Docker engine');
    const call = async (status: number, method: string, target: string, body?: unknown) => {
      const answer = await contract.request(agent.baseUrl, method, target, {
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      assert.equal(
        answer.status,
        status,
        `${method} ${target}: ${JSON.stringify(answer.body).slice(0, 300)}`,
      );
      return answer.body;
    };
    const list = await call(200, 'GET', `${API}/namespaces`);
    const owners = (list.items as { owners: { name: string; kind: string }[] }[]).flatMap((n) => n.owners);
    assert.ok(
      owners.some((o) => o.name === container.name),
      'the container owns a set',
    );
    assert.ok(
      owners.some((o) => o.name === named),
      'the named netns owns a set',
    );
    for (const ns of [container.name, named]) {
      await call(200, 'GET', `${API}/namespaces/${ns}`);
      await call(200, 'GET', `${API}/namespaces/${ns}/settings?prefix=net.core.`);
      await call(200, 'GET', `${API}/diff/namespaces?a=host&b=${ns}`);
      await call(200, 'GET', `${API}/limits?namespace=${ns}`);
      await call(200, 'GET', `${API}/usage?metric=conntrack.entries&namespace=${ns}`);
      await call(200, 'GET', `${API}/settings?prefix=net.core.&namespace=${ns}`);
      await call(200, 'GET', `${API}/settings/net.core.somaxconn/history?namespace=${ns}`);
    }
    await call(200, 'GET', `${API}/diff/namespaces?a=${container.name}&b=${named}`);
    await call(200, 'GET', `${API}/settings/net.core.somaxconn`);
    await call(200, 'GET', `${API}/shared`);
    await call(200, 'GET', `${API}/limits`);
    const taken = await call(201, 'POST', `${API}/snapshots`);
    await call(200, 'GET', `${API}/diff?from=-1h&namespace=${container.name}`);
    const bundle = await call(200, 'GET', `${API}/export?namespaces=all`);
    await call(201, 'POST', `${API}/baselines?name=contract-all`, bundle);
    await call(200, 'GET', `${API}/baselines/contract-all`);
    await call(200, 'GET', `${API}/diff/baseline/contract-all`);
    const incident = await call(201, 'POST', `${API}/incidents`, {
      title: 'container drops',
      // At the snapshot just taken: a report with a baseline needs a snapshot at or before the start (a
      // start before the first snapshot is issue 14's case, not this contract's).
      startedAt: String(taken.takenAt),
      namespace: container.name,
    });
    await call(200, 'GET', `${API}/incidents/${String(incident.id)}`);
    await call(200, 'GET', `${API}/incidents/${String(incident.id)}/report?baseline=contract-all`);
    await call(200, 'GET', `${API}/kernel-events?namespace=${container.name}`);
    assert.deepEqual(contract.problemList(), []);
  });
});
