import { parseAllDocuments } from 'yaml';
import type { NamespaceMode, PreflightRuntime } from './preflight-types.js';

/** A manifest that cannot be read: answered 400 naming the problem. */
export class ManifestError extends Error {}

/** What a manifest says about one container or pod: its sysctls and whether it shares host namespaces. */
export interface ManifestSysctls {
  /** `compose service web`, `Deployment api`… */
  readonly source: string;
  readonly sysctls: Map<string, string>;
  readonly network: NamespaceMode;
  readonly ipc: NamespaceMode;
  readonly runtime: PreflightRuntime;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

function scalar(value: unknown, where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new ManifestError(`${where} must be a string or a number`);
}

/** Compose `sysctls`: a map `{key: value}` or a list `["key=value"]`. */
function composeSysctls(raw: unknown, where: string): Map<string, string> {
  const sysctls = new Map<string, string>();
  if (raw === undefined || raw === null) return sysctls;
  if (Array.isArray(raw)) {
    for (const [i, entry] of raw.entries()) {
      const text = scalar(entry, `${where}[${i}]`);
      const eq = text.indexOf('=');
      if (eq <= 0)
        throw new ManifestError(`${where}[${i}] must be key=value, got ${JSON.stringify(text.slice(0, 80))}`);
      sysctls.set(text.slice(0, eq).trim(), text.slice(eq + 1));
    }
    return sysctls;
  }
  if (!isObject(raw)) throw new ManifestError(`${where} must be a map or a list of key=value`);
  for (const [key, value] of Object.entries(raw)) sysctls.set(key, scalar(value, `${where}.${key}`));
  return sysctls;
}

function composeService(name: string, service: Json): ManifestSysctls {
  const where = `services.${name}`;
  return {
    source: `compose service ${name}`,
    sysctls: composeSysctls(service.sysctls, `${where}.sysctls`),
    network: service.network_mode === 'host' ? 'host' : 'private',
    ipc: service.ipc === 'host' ? 'host' : 'private',
    runtime: 'compose',
  };
}

/** The pod spec of a Pod, a workload's pod template, or a CronJob's job template; null for other kinds. */
function podSpecOf(doc: Json): Json | null {
  const spec = doc.spec;
  if (!isObject(spec)) return null;
  if (doc.kind === 'Pod') return spec;
  if (isObject(spec.template) && isObject(spec.template.spec)) return spec.template.spec;
  const job = spec.jobTemplate;
  if (
    isObject(job) &&
    isObject(job.spec) &&
    isObject(job.spec.template) &&
    isObject(job.spec.template.spec)
  ) {
    return job.spec.template.spec;
  }
  return null;
}

function kubernetesPod(doc: Json, spec: Json): ManifestSysctls {
  const name =
    isObject(doc.metadata) && typeof doc.metadata.name === 'string' ? doc.metadata.name : '(unnamed)';
  const kind = typeof doc.kind === 'string' ? doc.kind : 'Pod';
  const sysctls = new Map<string, string>();
  const context = spec.securityContext;
  const raw = isObject(context) ? context.sysctls : undefined;
  if (raw !== undefined && raw !== null) {
    if (!Array.isArray(raw))
      throw new ManifestError(`${kind} ${name}: spec.securityContext.sysctls must be a list`);
    for (const [i, entry] of raw.entries()) {
      const where = `${kind} ${name}: spec.securityContext.sysctls[${i}]`;
      if (!isObject(entry) || typeof entry.name !== 'string')
        throw new ManifestError(`${where} needs a name`);
      sysctls.set(entry.name, scalar(entry.value ?? '', `${where}.value`));
    }
  }
  return {
    source: `${kind} ${name}`,
    sysctls,
    network: spec.hostNetwork === true ? 'host' : 'private',
    ipc: spec.hostIPC === true ? 'host' : 'private',
    runtime: 'kubernetes',
  };
}

/** Every container or pod a document describes. */
function candidatesOf(doc: Json): { readonly name: string; readonly read: () => ManifestSysctls }[] {
  if (isObject(doc.services)) {
    return Object.entries(doc.services).map(([name, service]) => ({
      name,
      read: () => {
        if (!isObject(service)) throw new ManifestError(`services.${name} must be a map`);
        return composeService(name, service);
      },
    }));
  }
  const spec = podSpecOf(doc);
  if (spec !== null) {
    const name = isObject(doc.metadata) && typeof doc.metadata.name === 'string' ? doc.metadata.name : '';
    return [{ name, read: () => kubernetesPod(doc, spec) }];
  }
  if ('sysctls' in doc || 'image' in doc || 'network_mode' in doc) {
    return [{ name: '', read: () => composeService('(service)', doc) }];
  }
  return [];
}

export const MAX_MANIFEST_DOCUMENTS = 64;

/**
 * Reads the sysctls of one container or pod from a manifest (YAML or JSON): a Docker Compose file (the service
 * named `service`, else the only one, or the only one with sysctls), a bare Compose service, a Kubernetes Pod,
 * or a workload with a pod template (Deployment, StatefulSet, DaemonSet, Job, CronJob…; `service` then picks
 * it by metadata.name). Throws ManifestError with a message fit for a 400.
 */
export function readManifest(text: string, service?: string): ManifestSysctls {
  const documents = parseAllDocuments(text, { uniqueKeys: true });
  if (!Array.isArray(documents)) throw new ManifestError('the manifest is empty');
  if (documents.length > MAX_MANIFEST_DOCUMENTS) {
    throw new ManifestError(`the manifest has more than ${MAX_MANIFEST_DOCUMENTS} documents`);
  }
  const candidates: ReturnType<typeof candidatesOf> = [];
  for (const [i, document] of documents.entries()) {
    const error = document.errors[0];
    if (error)
      throw new ManifestError(
        `not valid YAML or JSON (document ${i + 1}): ${error.message.split('\n')[0] ?? ''}`,
      );
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount: 100 });
    } catch (error) {
      // yaml refuses alias expansions beyond maxAliasCount (a "billion laughs" document) with a ReferenceError.
      throw new ManifestError(
        `document ${i + 1} cannot be read: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    if (value === null || value === undefined) continue;
    if (!isObject(value)) throw new ManifestError(`document ${i + 1} is not a map`);
    candidates.push(...candidatesOf(value));
  }
  if (candidates.length === 0) {
    throw new ManifestError(
      'no Compose service and no Kubernetes pod spec found (expected services:, a Pod, or a workload with spec.template)',
    );
  }
  if (service !== undefined) {
    const named = candidates.filter((c) => c.name === service);
    if (named.length !== 1) {
      const names = candidates.map((c) => c.name || '(unnamed)').join(', ');
      throw new ManifestError(
        `service '${service.slice(0, 80)}' is not in the manifest (found: ${names.slice(0, 400)})`,
      );
    }
    return (named[0] as (typeof named)[number]).read();
  }
  if (candidates.length === 1) return (candidates[0] as (typeof candidates)[number]).read();
  const read = candidates.map((c) => c.read());
  const withSysctls = read.filter((r) => r.sysctls.size > 0);
  if (withSysctls.length === 1) return withSysctls[0] as ManifestSysctls;
  throw new ManifestError(
    `the manifest describes ${candidates.length} containers or pods (${candidates
      .map((c) => c.name || '(unnamed)')
      .join(', ')
      .slice(0, 400)}); name one with service`,
  );
}
