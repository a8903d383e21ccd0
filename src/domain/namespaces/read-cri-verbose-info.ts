/** What the agent takes from the `info` map of a verbose PodSandboxStatus / ContainerStatus answer. */
export interface CriVerboseInfo {
  /** The process of the sandbox or container (0 when the runtime gave none). */
  readonly pid: number;
  /** Declared sysctls: containerd's `config.linux.sysctls`, else the OCI spec's `linux.sysctl` (CRI-O). */
  readonly sysctls: Readonly<Record<string, string>>;
}

/**
 * Parses the verbose `info` map of the CRI: containerd and CRI-O put one JSON document under the key `info`
 * holding `pid`, and the sandbox's config (containerd) or OCI runtime spec (both). Anything malformed reads as
 * unknown (pid 0, no sysctls), never as an error: verbose info is not part of the CRI contract.
 */
export function readCriVerboseInfo(info: Readonly<Record<string, string>>): CriVerboseInfo {
  const document = parseObject(info['info']);
  const pid = typeof document?.['pid'] === 'number' && document['pid'] > 0 ? document['pid'] : 0;
  const fromConfig = objectAt(document, ['config', 'linux', 'sysctls']);
  const fromSpec = objectAt(document, ['runtimeSpec', 'linux', 'sysctl']);
  return { pid, sysctls: stringsOf(fromConfig ?? fromSpec) };
}

function parseObject(text: string | undefined): Record<string, unknown> | null {
  if (!text) return null;
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : null;
  } catch {
    return null;
  }
}

function objectAt(
  root: Record<string, unknown> | null,
  path: readonly string[],
): Record<string, unknown> | null {
  let here: unknown = root;
  for (const step of path) here = isObject(here) ? here[step] : undefined;
  return isObject(here) ? here : null;
}

function stringsOf(value: Record<string, unknown> | null): Record<string, string> {
  if (!value) return {};
  return Object.fromEntries(
    Object.entries(value).flatMap(([key, v]) => (typeof v === 'string' ? [[key, v] as const] : [])),
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
