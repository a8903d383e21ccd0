/**
 * Everything a benchmark run creates (netns, bind mounts, containers, processes, temp dirs) registers its removal
 * here. Actions are synchronous so they also run from `exit` and signal handlers: nothing is left behind when a
 * section throws, the run is interrupted (Ctrl-C, SIGTERM) or an exception escapes.
 */
type Action = () => void;

const actions = new Map<number, { label: string; run: Action }>();
let nextId = 1;
let installed = false;

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', () => runAllCleanups());
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      process.stderr.write(`\nbench: ${signal}, cleaning up\n`);
      runAllCleanups();
      process.exit(130);
    });
  }
}

/** Registers a cleanup; returns a function that runs it now (once) and unregisters it. */
export function onCleanup(label: string, run: Action): () => void {
  install();
  const id = nextId++;
  actions.set(id, { label, run });
  return () => {
    const action = actions.get(id);
    if (!action) return;
    actions.delete(id);
    safely(action.label, action.run);
  };
}

/** Runs every pending cleanup, newest first. */
export function runAllCleanups(): void {
  const pending = [...actions.entries()].reverse();
  actions.clear();
  for (const [, action] of pending) safely(action.label, action.run);
}

function safely(label: string, run: Action): void {
  try {
    run();
  } catch (error) {
    process.stderr.write(
      `bench cleanup "${label}" failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
  }
}
