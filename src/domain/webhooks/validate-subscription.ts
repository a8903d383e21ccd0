import { globProblem } from './match-glob.js';
import { DEFAULT_EVENT_TYPES, SUBSCRIBABLE_EVENT_TYPES, type WebhookEventType } from './webhook-event.js';

export interface SubscriptionProblem {
  readonly field: string;
  readonly message: string;
}

const MAX_URL_LENGTH = 2048;
const MAX_FILTERS = 100;

/** Only http(s) URLs with a host; embedded credentials are allowed (sent as Basic auth, never shown). */
export function urlProblem(raw: string): string | null {
  if (raw.length > MAX_URL_LENGTH) return `is longer than ${MAX_URL_LENGTH} characters`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'is not a URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return `scheme ${url.protocol.replace(/:$/, '')} is not allowed (http or https only)`;
  if (url.hostname === '') return 'has no host';
  return null;
}

/** The URL as the API shows it: any user name or password replaced by `***`. */
export function redactUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.username === '' && url.password === '') return url.toString();
    url.username = '***';
    url.password = '';
    return url.toString();
  } catch {
    return '(invalid URL)';
  }
}

export function hasCredentials(raw: string): boolean {
  try {
    const url = new URL(raw);
    return url.username !== '' || url.password !== '';
  } catch {
    return false;
  }
}

/** Event names checked against the subscribable list; undefined means the defaults. */
export function eventsProblems(events: readonly string[] | undefined): SubscriptionProblem[] {
  if (events === undefined) return [];
  if (events.length === 0) return [{ field: 'events', message: 'must name at least one event type' }];
  const unknown = events.filter((e) => !(SUBSCRIBABLE_EVENT_TYPES as readonly string[]).includes(e));
  return unknown.map((e) => ({
    field: 'events',
    message: `'${e.slice(0, 60)}' is not an event type (one of ${SUBSCRIBABLE_EVENT_TYPES.join(', ')})`,
  }));
}

export function filterProblems(
  field: 'keys' | 'namespaces',
  patterns: readonly string[] | undefined,
): SubscriptionProblem[] {
  if (patterns === undefined) return [];
  if (patterns.length > MAX_FILTERS) return [{ field, message: `at most ${MAX_FILTERS} patterns` }];
  const problems: SubscriptionProblem[] = [];
  for (const pattern of patterns) {
    const problem = globProblem(pattern, field === 'keys' ? 'key' : 'namespace');
    if (problem) problems.push({ field, message: `'${pattern.slice(0, 80)}' ${problem}` });
  }
  return problems;
}

/** The event list a subscription stores: the defaults when none was given, duplicates removed. */
export function normalizeEvents(events: readonly string[] | undefined): WebhookEventType[] {
  const chosen = events ?? DEFAULT_EVENT_TYPES;
  return SUBSCRIBABLE_EVENT_TYPES.filter((type) => chosen.includes(type));
}
