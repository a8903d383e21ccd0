import { isWellFormedKey } from '../sysctl/sysctl-key.js';
import { CHILD_VISIBILITIES, type ChildVisibility, SCOPES, type Scope } from '../sysctl/sysctl-types.js';
import type { ClassificationSource } from '../sysctl/sysctl-types.js';
import type { BundleClassification, BundleLimits } from './bundle-types.js';
import {
  BundleProblems,
  BundleTooLargeError,
  checkNoUnknownFields,
  describeValue,
  isRecord,
  member,
  readText,
} from './bundle-problems.js';

const SOURCES: readonly ClassificationSource[] = ['builtin', 'probe', 'observed'];

/** A key → value object: well-formed keys, string-or-null values within the length limit. */
export function readValues(
  problems: BundleProblems,
  path: string,
  raw: unknown,
  limits: BundleLimits,
): Map<string, string | null> {
  const values = new Map<string, string | null>();
  if (!isRecord(raw)) {
    problems.add(path, `must be an object of key → value, got ${describeValue(raw)}`);
    return values;
  }
  const entries = Object.entries(raw);
  if (entries.length > limits.maxKeys) {
    throw new BundleTooLargeError(`${path}: ${entries.length} keys exceeds the limit of ${limits.maxKeys}`);
  }
  for (const [key, value] of entries) {
    const at = member(path, key);
    if (!isWellFormedKey(key)) {
      problems.add(at, 'not a sysctl key');
      continue;
    }
    const text = readText(problems, at, value, limits.maxValueLength, true);
    if (text !== null || value === null) values.set(key, text);
  }
  return values;
}

/** The key → classification object. */
export function readClassification(
  problems: BundleProblems,
  path: string,
  raw: unknown,
  limits: BundleLimits,
): Map<string, BundleClassification> {
  const result = new Map<string, BundleClassification>();
  if (!isRecord(raw)) {
    problems.add(path, `must be an object of key → classification, got ${describeValue(raw)}`);
    return result;
  }
  const entries = Object.entries(raw);
  if (entries.length > limits.maxKeys) {
    throw new BundleTooLargeError(`${path}: ${entries.length} keys exceeds the limit of ${limits.maxKeys}`);
  }
  for (const [key, value] of entries) {
    const at = member(path, key);
    if (!isWellFormedKey(key)) {
      problems.add(at, 'not a sysctl key');
      continue;
    }
    const entry = readClassificationEntry(problems, at, value);
    if (entry) result.set(key, entry);
  }
  return result;
}

function readClassificationEntry(
  problems: BundleProblems,
  path: string,
  raw: unknown,
): BundleClassification | null {
  if (!isRecord(raw)) {
    problems.add(
      path,
      `must be an object {scope, childVisibility, volatile, source}, got ${describeValue(raw)}`,
    );
    return null;
  }
  checkNoUnknownFields(problems, path, raw, ['scope', 'childVisibility', 'volatile', 'source']);
  const { scope, childVisibility, volatile, source } = raw;
  let valid = true;
  const fail = (field: string, message: string): void => {
    problems.add(`${path}.${field}`, message);
    valid = false;
  };
  if (!SCOPES.includes(scope as Scope)) fail('scope', `must be one of ${SCOPES.join(', ')}`);
  if (childVisibility !== null && !CHILD_VISIBILITIES.includes(childVisibility as ChildVisibility)) {
    fail('childVisibility', `must be null or one of ${CHILD_VISIBILITIES.join(', ')}`);
  }
  if (typeof volatile !== 'boolean') fail('volatile', `must be a boolean, got ${describeValue(volatile)}`);
  if (!SOURCES.includes(source as ClassificationSource))
    fail('source', `must be one of ${SOURCES.join(', ')}`);
  if (!valid) return null;
  return {
    scope: scope as Scope,
    childVisibility: childVisibility as ChildVisibility | null,
    volatile: volatile as boolean,
    source: source as ClassificationSource,
  };
}

/** Every valued key needs a classification, or a diff could not tell a global key from a namespaced one. */
export function checkClassified(
  problems: BundleProblems,
  path: string,
  values: ReadonlyMap<string, string | null>,
  classification: ReadonlyMap<string, BundleClassification>,
): void {
  for (const key of values.keys()) {
    if (!classification.has(key)) problems.add(member(path, key), 'has no entry in body.classification');
  }
}
