import type { TestContext } from 'node:test';
import { type RunningAgent, startAgent, tempDatabase } from '../../helpers/agent-process.js';
import { DockerScope, dockerAvailable } from '../../helpers/docker-engine.js';
import { takeSnapshot } from '../../helpers/http-json.js';
import { needsRoot } from '../../helpers/privileges.js';

/** What a container scenario works with: its own agent, and a scope for the containers it starts. */
export interface ContainerScenario {
  readonly agent: RunningAgent;
  readonly containers: DockerScope;
}

/**
 * Runs `scenario` against an agent of its own (a fresh database named after `label`, hourly snapshots: the
 * scenario takes the ones it needs), then stops the agent and removes the containers and the database,
 * whatever happens. Without root or Docker the test is skipped with the reason (it fails under REQUIRE_DOCKER=1).
 */
export async function runContainerScenario(
  t: TestContext,
  label: string,
  scenario: (stage: ContainerScenario) => Promise<void>,
): Promise<void> {
  if (!needsRoot(t) || !(await dockerAvailable(t))) return;
  const db = tempDatabase(label);
  const containers = new DockerScope();
  const agent = await startAgent({ DB_PATH: db.dbPath, SNAPSHOT_INTERVAL: '3600' });
  try {
    // The agent's startup snapshot runs in the background; a snapshot asked for now runs after it, so none is
    // still reading when the scenario starts its containers (a read racing `docker run` sees a container's netns
    // before runc has written its --sysctl values: truthfully the default, but not what the scenario asserts).
    await takeSnapshot(agent.baseUrl);
    await scenario({ agent, containers });
  } finally {
    await agent.stop();
    await containers.cleanup();
    db.cleanup();
  }
}
