import {
  BUNDLE_FORMAT,
  BUNDLE_FORMAT_VERSION,
  type Bundle,
  type BundleHost,
  type BundleLimits,
} from './bundle-types.js';
import {
  BundleProblems,
  checkNoUnknownFields,
  describeValue,
  isRecord,
  readInstant,
  readText,
} from './bundle-problems.js';
import { readNamespaces } from './read-bundle-namespaces.js';
import { checkClassified, readClassification, readValues } from './read-bundle-values.js';

const TOP_FIELDS = [
  'format',
  'formatVersion',
  'exportedAt',
  'at',
  'host',
  'classification',
  'values',
  'namespaces',
];

/**
 * Checks an uploaded bundle and returns a copy built only from what was checked. Throws BundleValidationError
 * (the problems, each naming its path under `body`) or BundleTooLargeError (more keys or sets than `limits`).
 * The format version is checked first: a bundle of another version is refused before its content is read.
 */
export function validateBundle(input: unknown, limits: BundleLimits): Bundle {
  const problems = new BundleProblems();
  if (!isRecord(input)) {
    problems.add('body', `must be a JSON object (an export bundle), got ${describeValue(input)}`);
    problems.throwIfAny();
  }
  const raw = input as Readonly<Record<string, unknown>>;
  if (raw.format !== BUNDLE_FORMAT) problems.add('body.format', `must be '${BUNDLE_FORMAT}'`);
  if (raw.formatVersion !== BUNDLE_FORMAT_VERSION) {
    problems.add(
      'body.formatVersion',
      `${JSON.stringify(raw.formatVersion ?? null)} is not supported (this agent reads version ${BUNDLE_FORMAT_VERSION})`,
    );
  }
  problems.throwIfAny();
  checkNoUnknownFields(problems, 'body', raw, TOP_FIELDS);
  const exportedAt = readInstant(problems, 'body.exportedAt', raw.exportedAt);
  const at = readInstant(problems, 'body.at', raw.at);
  const host = readHost(problems, raw.host);
  const classification = readClassification(problems, 'body.classification', raw.classification, limits);
  const values = readValues(problems, 'body.values', raw.values, limits);
  checkClassified(problems, 'body.values', values, classification);
  const namespaces =
    raw.namespaces === undefined
      ? undefined
      : readNamespaces(problems, 'body.namespaces', raw.namespaces, limits, classification);
  problems.throwIfAny();
  return {
    format: BUNDLE_FORMAT,
    formatVersion: BUNDLE_FORMAT_VERSION,
    exportedAt,
    at,
    host,
    classification: Object.fromEntries(classification),
    values: Object.fromEntries(values),
    ...(namespaces === undefined ? {} : { namespaces }),
  };
}

function readHost(problems: BundleProblems, raw: unknown): BundleHost {
  if (!isRecord(raw)) {
    problems.add(
      'body.host',
      `must be an object {hostname, kernelRelease, bootId}, got ${describeValue(raw)}`,
    );
    return { hostname: null, kernelRelease: null, bootId: null };
  }
  checkNoUnknownFields(problems, 'body.host', raw, ['hostname', 'kernelRelease', 'bootId']);
  return {
    hostname: readText(problems, 'body.host.hostname', raw.hostname, 256, true),
    kernelRelease: readText(problems, 'body.host.kernelRelease', raw.kernelRelease, 256, true),
    bootId: readText(problems, 'body.host.bootId', raw.bootId, 64, true),
  };
}
