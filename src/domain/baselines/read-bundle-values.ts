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

/**
 * A key → entry object of at most `limits.maxKeys` well-formed sysctl keys, each entry read by `readEntry`
 * (null: the entry had problems and is left out).
 */
function readKeyed<T>(
  problems: BundleProblems,
  path: string,
  raw: unknown,
  limits: BundleLimits,
  what: string,
  readEntry: (at: string, value: unknown) => { readonly entry: T } | null,
): Map<string, T> {
  const result = new Map<string, T>();
  if (!isRecord(raw)) {
    problems.add(path, `must be an object of key → ${what}, got ${describeValue(raw)}`);
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
    const read = readEntry(at, value);
    if (read) result.set(key, read.entry);
  }
  return result;
}

/** A key → value object: well-formed keys, string-or-null values within the length limit. */
export function readValues(
  problems: BundleProblems,
  path: string,
  raw: unknown,
  limits: BundleLimits,
): Map<string, string | null> {
  return readKeyed(problems, path, raw, limits, 'value', (at, value) => {
    const text = readText(problems, at, value, limits.maxValueLength, true);
    return text !== null || value === null ? { entry: text } : null;
  });
}

/** The key → classification object. */
export function readClassification(
  problems: BundleProblems,
  path: string,
  raw: unknown,
  limits: BundleLimits,
): Map<string, BundleClassification> {
  return readKeyed(problems, path, raw, limits, 'classification', (at, value) => {
    const entry = readClassificationEntry(problems, at, value);
    return entry ? { entry } : null;
  });
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
