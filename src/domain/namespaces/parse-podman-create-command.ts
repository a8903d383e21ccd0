/**
 * The sysctls a podman container was declared with, from the command line that created it (libpod inspect's
 * `Config.CreateCommand`, e.g. `podman run -d --sysctl net.core.somaxconn=1024 IMAGE sleep 60`): podman's API
 * reports them nowhere else (its Docker-compatible inspect has no `HostConfig.Sysctls`). `--sysctl K=V`,
 * `--sysctl=K=V` and comma-separated lists (`--sysctl a=1,b=2`, as podman splits them) are read among the options,
 * which end at the image: the last word, or the word before the container's command (`command`, `Config.Cmd`)
 * when the line ends with it. Null for a line that is not `podman [container] run|create` (a container made
 * through the API has none): the declared sysctls are then unknown.
 */
export function parsePodmanCreateCommand(
  argv: readonly string[],
  command: readonly string[],
): Record<string, string> | null {
  const verbAt = argv[1] === 'container' ? 2 : 1;
  if (!/(^|\/)podman$/.test(argv[0] ?? '') || !['run', 'create'].includes(argv[verbAt] ?? '')) return null;
  const endsWithCommand =
    command.length > 0 &&
    argv.length - verbAt - 1 > command.length &&
    command.every((word, i) => argv[argv.length - command.length + i] === word);
  const imageAt = argv.length - 1 - (endsWithCommand ? command.length : 0);
  const sysctls: Record<string, string> = {};
  for (let i = verbAt + 1; i < imageAt; i += 1) {
    const word = argv[i] ?? '';
    let value: string | undefined;
    if (word === '--sysctl') {
      i += 1;
      value = argv[i];
    } else if (word.startsWith('--sysctl=')) {
      value = word.slice('--sysctl='.length);
    }
    for (const item of value?.split(',') ?? []) {
      const eq = item.indexOf('=');
      if (eq > 0) sysctls[item.slice(0, eq).trim()] = item.slice(eq + 1);
    }
  }
  return sysctls;
}
