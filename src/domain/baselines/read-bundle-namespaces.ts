import { isWellFormedKey } from '../sysctl/sysctl-key.js';
import type { BundleClassification, BundleLimits, BundleNamespace, BundleOwner } from './bundle-types.js';
import {
  BundleProblems,
  BundleTooLargeError,
  checkNoUnknownFields,
  describeValue,
  isRecord,
  member,
  readText,
} from './bundle-problems.js';
import { checkClassified, readValues } from './read-bundle-values.js';

const NAMESPACE_FIELDS = ['identity', 'kind', 'owners', 'values'];
const OWNER_FIELDS = ['kind', 'ref', 'name', 'image', 'declaredSysctls'];

/** The optional list of namespace sets (every set alive at the bundle's instant, the host's excepted). */
export function readNamespaces(
  problems: BundleProblems,
  path: string,
  raw: unknown,
  limits: BundleLimits,
  classification: ReadonlyMap<string, BundleClassification>,
): BundleNamespace[] {
  if (!Array.isArray(raw)) {
    problems.add(path, `must be an array of namespace sets, got ${describeValue(raw)}`);
    return [];
  }
  if (raw.length > limits.maxNamespaces) {
    throw new BundleTooLargeError(
      `${path}: ${raw.length} namespace sets exceeds the limit of ${limits.maxNamespaces}`,
    );
  }
  const seen = new Set<string>();
  const sets: BundleNamespace[] = [];
  raw.forEach((item: unknown, index) => {
    const at = `${path}[${index}]`;
    if (!isRecord(item)) {
      problems.add(at, `must be an object {identity, kind, owners, values}, got ${describeValue(item)}`);
      return;
    }
    checkNoUnknownFields(problems, at, item, NAMESPACE_FIELDS);
    const identity = readText(problems, `${at}.identity`, item.identity, 256, false) ?? '';
    if (seen.has(identity)) problems.add(`${at}.identity`, `'${identity.slice(0, 80)}' appears twice`);
    seen.add(identity);
    const kind = readText(problems, `${at}.kind`, item.kind, 32, false) ?? '';
    const owners = readOwners(problems, `${at}.owners`, item.owners, limits);
    const values = readValues(problems, `${at}.values`, item.values, limits);
    checkClassified(problems, `${at}.values`, values, classification);
    sets.push({ identity, kind, owners, values: Object.fromEntries(values) });
  });
  return sets;
}

function readOwners(
  problems: BundleProblems,
  path: string,
  raw: unknown,
  limits: BundleLimits,
): BundleOwner[] {
  if (!Array.isArray(raw)) {
    problems.add(path, `must be an array of owners, got ${describeValue(raw)}`);
    return [];
  }
  if (raw.length > limits.maxOwnersPerNamespace) {
    throw new BundleTooLargeError(
      `${path}: ${raw.length} owners exceeds the limit of ${limits.maxOwnersPerNamespace}`,
    );
  }
  const owners: BundleOwner[] = [];
  raw.forEach((item: unknown, index) => {
    const at = `${path}[${index}]`;
    if (!isRecord(item)) {
      problems.add(
        at,
        `must be an object {kind, ref, name, image, declaredSysctls}, got ${describeValue(item)}`,
      );
      return;
    }
    checkNoUnknownFields(problems, at, item, OWNER_FIELDS);
    owners.push({
      kind: readText(problems, `${at}.kind`, item.kind, 32, false) ?? '',
      ref: readText(problems, `${at}.ref`, item.ref, 256, false) ?? '',
      name: readText(problems, `${at}.name`, item.name, 256, false) ?? '',
      image: readText(problems, `${at}.image`, item.image, 512, true),
      declaredSysctls: readDeclared(problems, `${at}.declaredSysctls`, item.declaredSysctls, limits),
    });
  });
  return owners;
}

function readDeclared(
  problems: BundleProblems,
  path: string,
  raw: unknown,
  limits: BundleLimits,
): Record<string, string> | null {
  if (raw === null) return null;
  if (!isRecord(raw)) {
    problems.add(path, `must be null or an object of key → value, got ${describeValue(raw)}`);
    return null;
  }
  const declared = new Map<string, string>();
  for (const [key, value] of Object.entries(raw)) {
    if (!isWellFormedKey(key)) problems.add(member(path, key), 'not a sysctl key');
    const text = readText(problems, member(path, key), value, limits.maxValueLength, false);
    if (text !== null) declared.set(key, text);
  }
  return Object.fromEntries(declared);
}
