/** A container CLI (docker, podman): runs it with `args`, resolves with its stdout. */
export type ContainerCli = (args: readonly string[]) => Promise<string>;

export interface TestContainer {
  readonly id: string;
  readonly name: string;
  /** Host PID of the container's init process (State.Pid): /proc/<pid>/ns/* are its namespaces. */
  readonly pid: number;
}

export interface TestContainerRun {
  /** `docker` or `podman`, for messages. */
  readonly engine: string;
  readonly cli: ContainerCli;
  readonly name: string;
  /** Extra run options (`--sysctl`, `--network`, …), put before the image. */
  readonly args: readonly string[];
  readonly image: string;
  readonly command: readonly string[];
}

/**
 * `<cli> run -d` of `image` running `command` under `name`, labelled `kernel-ledger-test=1`. Resolves once the
 * container runs, with its PID; otherwise throws with its last log lines.
 */
export async function runTestContainer(run: TestContainerRun): Promise<TestContainer> {
  const { cli, name } = run;
  const id = (
    await cli([
      'run',
      '-d',
      '--name',
      name,
      '--label',
      'kernel-ledger-test=1',
      ...run.args,
      run.image,
      ...run.command,
    ])
  ).trim();
  const [running, pidText] = (await cli(['inspect', '--format', '{{.State.Running}} {{.State.Pid}}', id]))
    .trim()
    .split(' ');
  const pid = Number(pidText);
  if (running !== 'true' || !Number.isInteger(pid) || pid <= 0) {
    const logs = await cli(['logs', '--tail', '20', id]).catch((error: Error) => error.message);
    throw new Error(
      `${run.engine} container ${name} is not running (Running=${running}, Pid=${pidText}):\n${logs}`,
    );
  }
  return { id, name, pid };
}
