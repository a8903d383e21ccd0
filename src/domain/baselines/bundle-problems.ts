/** A bundle that fails validation; `problems` name the offending path (`body.values["x"]: …`). */
export class BundleValidationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('; '));
  }
}

/** A bundle that holds more keys or namespace sets than the configured limits allow. */
export class BundleTooLargeError extends Error {}

const MAX_REPORTED = 20;

/** Collects validation problems with their path; stops the walk once enough have been found to be useful. */
export class BundleProblems {
  private readonly list: string[] = [];

  add(path: string, message: string): void {
    this.list.push(`${path}: ${message}`);
    if (this.list.length >= MAX_REPORTED) this.throwIfAny();
  }

  throwIfAny(): void {
    if (this.list.length > 0) throw new BundleValidationError(this.list);
  }
}

export type JsonRecord = Readonly<Record<string, unknown>>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A path segment for a member name, quoted and shortened so a hostile name cannot flood the message. */
export function member(path: string, name: string): string {
  return `${path}[${JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name)}]`;
}

export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing (the field is missing)';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Reports members of `record` not in `allowed` (the format is versioned, so unknown fields are mistakes). */
export function checkNoUnknownFields(
  problems: BundleProblems,
  path: string,
  record: JsonRecord,
  allowed: readonly string[],
): void {
  for (const name of Object.keys(record)) {
    if (!allowed.includes(name)) problems.add(member(path, name), 'unknown field');
  }
}

/** A string (or null when `nullable`) of at most `maxLength` characters without NUL; reports and returns null otherwise. */
export function readText(
  problems: BundleProblems,
  path: string,
  value: unknown,
  maxLength: number,
  nullable: boolean,
): string | null {
  if (value === null && nullable) return null;
  if (typeof value !== 'string') {
    problems.add(path, `must be a string${nullable ? ' or null' : ''}, got ${describeValue(value)}`);
    return null;
  }
  if (value.length > maxLength) {
    problems.add(path, `${value.length} characters exceeds the limit of ${maxLength}`);
    return null;
  }
  if (value.includes('\0')) {
    problems.add(path, 'must not contain NUL characters');
    return null;
  }
  return value;
}

/** An ISO-8601 instant with date and time (`2026-11-29T14:03:00.000Z`). */
export function readInstant(problems: BundleProblems, path: string, value: unknown): string {
  const text = readText(problems, path, value, 40, false);
  if (text === null) return '';
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text) || Number.isNaN(Date.parse(text))) {
    problems.add(path, `'${text}' is not an ISO-8601 date and time`);
  }
  return text;
}
