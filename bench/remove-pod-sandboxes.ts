import { criCall, criRuntimeClient } from '../src/os/cri/cri-call.js';
import { removeCgroupRoot } from './cgroup-tree.js';

const TIMEOUT_MS = 60_000;

/**
 * `node dist/bench/remove-pod-sandboxes.js SOCKET LABEL=VALUE CGROUP_ROOT`: stops and removes every pod sandbox
 * carrying the label (ready or not), then the top cgroup the pods lived under. The pods benchmark runs it
 * synchronously from its cleanup (signal and exit handlers cannot wait for gRPC), so a sandbox whose creation
 * was in flight when the run was interrupted is found by its label too. Prints how many it removed.
 */
async function main(): Promise<void> {
  const [socket, label, cgroupRoot] = process.argv.slice(2);
  const [key, value] = (label ?? '').split('=');
  if (!socket || !key || value === undefined || !cgroupRoot) {
    throw new Error('usage: remove-pod-sandboxes.js SOCKET LABEL=VALUE CGROUP_ROOT');
  }
  const client = criRuntimeClient(socket);
  let removed = 0;
  try {
    const { items } = await criCall<{ items?: { id: string }[] }>(
      client,
      'ListPodSandbox',
      { filter: { labelSelector: { [key]: value } } },
      TIMEOUT_MS,
    );
    for (const { id } of items ?? []) {
      await criCall(client, 'StopPodSandbox', { podSandboxId: id }, TIMEOUT_MS);
      await criCall(client, 'RemovePodSandbox', { podSandboxId: id }, TIMEOUT_MS);
      removed++;
    }
  } finally {
    client.close();
  }
  removeCgroupRoot(cgroupRoot);
  process.stdout.write(`${removed}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`remove-pod-sandboxes: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
