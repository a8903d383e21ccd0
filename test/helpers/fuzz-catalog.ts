import type { RawRequest } from './raw-http.js';
import type { SeededRandom } from './seeded-random.js';

/** What a parameter holds; each kind has plausible values (to reach deep code) and malformed ones. */
export type ValueKind =
  | 'time'
  | 'id'
  | 'limit'
  | 'cursor'
  | 'namespace'
  | 'key'
  | 'keyPrefix'
  | 'text'
  | 'scope'
  | 'metric'
  | 'points'
  | 'lookback'
  | 'baselineName'
  | 'bool'
  | 'exportNamespaces'
  | 'interfaces'
  | 'deliveryStatus'
  | 'deliveryId'
  | 'signature';

export type BodyKind = 'incident' | 'incidentPatch' | 'webhook' | 'webhookPatch' | 'bundle' | 'preflight';

export interface RouteSpec {
  readonly method: string;
  /** Path template as served, with `:name` parameters. */
  readonly path: string;
  readonly params?: Readonly<Record<string, ValueKind>>;
  readonly query?: Readonly<Record<string, ValueKind>>;
  readonly body?: BodyKind;
  /** Relative share of the random requests (default 1). */
  readonly weight?: number;
}

const API = '/api/v1';

/**
 * Every route of the agent with its parameters, from the controllers and DTOs under src/api (and /metrics,
 * /docs, /docs-json at the root). The fuzz test checks this list against the routes the compiled controllers
 * declare, so a new route cannot be left out.
 */
export const FUZZ_ROUTES: readonly RouteSpec[] = [
  { method: 'GET', path: `${API}/health` },
  { method: 'GET', path: '/metrics' },
  { method: 'GET', path: '/docs' },
  { method: 'GET', path: '/docs-json' },
  {
    method: 'GET',
    path: `${API}/snapshots`,
    query: { from: 'time', to: 'time', limit: 'limit', cursor: 'cursor' },
  },
  {
    method: 'GET',
    path: `${API}/snapshots/:id`,
    params: { id: 'id' },
    query: { limit: 'limit', cursor: 'cursor', interfaces: 'interfaces' },
  },
  // A snapshot of a busy host takes seconds and they run one at a time: a few of these are enough.
  { method: 'POST', path: `${API}/snapshots`, weight: 0.05 },
  {
    method: 'GET',
    path: `${API}/settings`,
    query: { prefix: 'keyPrefix', scope: 'scope', q: 'text', at: 'time', namespace: 'namespace' },
  },
  { method: 'GET', path: `${API}/settings/:key`, params: { key: 'key' } },
  {
    method: 'GET',
    path: `${API}/settings/:key/history`,
    params: { key: 'key' },
    query: { from: 'time', to: 'time', namespace: 'namespace' },
  },
  {
    method: 'GET',
    path: `${API}/diff`,
    query: {
      from: 'time',
      to: 'time',
      namespace: 'namespace',
      limit: 'limit',
      cursor: 'cursor',
      interfaces: 'interfaces',
    },
  },
  {
    method: 'GET',
    path: `${API}/diff/namespaces`,
    query: { a: 'namespace', b: 'namespace', at: 'time', interfaces: 'interfaces' },
  },
  {
    method: 'GET',
    path: `${API}/diff/baseline/:name`,
    params: { name: 'baselineName' },
    query: { at: 'time', scope: 'scope', interfaces: 'interfaces' },
  },
  { method: 'GET', path: `${API}/namespaces`, query: { at: 'time' } },
  { method: 'GET', path: `${API}/namespaces/:ns`, params: { ns: 'namespace' }, query: { at: 'time' } },
  {
    method: 'GET',
    path: `${API}/namespaces/:ns/settings`,
    params: { ns: 'namespace' },
    query: { at: 'time', prefix: 'keyPrefix', limit: 'limit', cursor: 'cursor' },
  },
  { method: 'GET', path: `${API}/shared`, query: { at: 'time' } },
  { method: 'GET', path: `${API}/limits`, query: { at: 'time', namespace: 'namespace' } },
  {
    method: 'GET',
    path: `${API}/usage`,
    query: { metric: 'metric', namespace: 'namespace', from: 'time', to: 'time', points: 'points' },
  },
  {
    method: 'GET',
    path: `${API}/kernel-events`,
    query: { from: 'time', to: 'time', signature: 'signature', namespace: 'namespace', limit: 'limit' },
  },
  { method: 'POST', path: `${API}/incidents`, body: 'incident' },
  { method: 'POST', path: `${API}/preflight`, body: 'preflight' },
  { method: 'GET', path: `${API}/not-inherited` },
  { method: 'GET', path: `${API}/drift`, query: { at: 'time' } },
  { method: 'GET', path: `${API}/namespaces/:ns/not-inherited`, params: { ns: 'namespace' } },
  { method: 'GET', path: `${API}/incidents`, query: { from: 'time', to: 'time', limit: 'limit' } },
  { method: 'GET', path: `${API}/incidents/:id`, params: { id: 'id' } },
  { method: 'PATCH', path: `${API}/incidents/:id`, params: { id: 'id' }, body: 'incidentPatch' },
  { method: 'DELETE', path: `${API}/incidents/:id`, params: { id: 'id' } },
  {
    method: 'GET',
    path: `${API}/incidents/:id/report`,
    params: { id: 'id' },
    query: { lookback: 'lookback', baseline: 'baselineName', limit: 'limit' },
  },
  { method: 'GET', path: `${API}/export`, query: { at: 'time', namespaces: 'exportNamespaces' } },
  {
    method: 'POST',
    path: `${API}/baselines`,
    query: { name: 'baselineName', replace: 'bool' },
    body: 'bundle',
  },
  { method: 'GET', path: `${API}/baselines` },
  { method: 'GET', path: `${API}/baselines/:name`, params: { name: 'baselineName' } },
  { method: 'DELETE', path: `${API}/baselines/:name`, params: { name: 'baselineName' } },
  { method: 'POST', path: `${API}/webhooks`, body: 'webhook' },
  { method: 'GET', path: `${API}/webhooks` },
  { method: 'GET', path: `${API}/webhooks/:id`, params: { id: 'id' } },
  { method: 'PATCH', path: `${API}/webhooks/:id`, params: { id: 'id' }, body: 'webhookPatch' },
  { method: 'DELETE', path: `${API}/webhooks/:id`, params: { id: 'id' } },
  { method: 'POST', path: `${API}/webhooks/:id/test`, params: { id: 'id' } },
  {
    method: 'GET',
    path: `${API}/webhooks/:id/deliveries`,
    params: { id: 'id' },
    query: { status: 'deliveryStatus', limit: 'limit', cursor: 'cursor' },
  },
  {
    method: 'POST',
    path: `${API}/webhooks/:id/deliveries/:deliveryId/redeliver`,
    params: { id: 'id', deliveryId: 'deliveryId' },
  },
];

/** Paths no route serves: each must still answer a JSON 404. */
const UNKNOWN_PATHS = [
  '/',
  '/api',
  `${API}`,
  `${API}/`,
  '/api/v2/settings',
  `${API}/nope`,
  `${API}/settings/a/b/c`,
  `${API}//settings`,
  '/API/V1/SETTINGS',
  `${API}/snapshots/1/changes`,
  '/favicon.ico',
  '/.env',
  '/metrics/x',
  `${API}/../../etc/passwd`,
  '/%2e%2e/%2e%2e/etc/passwd',
  '//etc/passwd',
  `${API}/webhooks/1/deliveries`.replace('1', '%31'),
];

/** Methods the HTTP parser knows; `FUZZ` it does not (rejected before the app with a bare 400). */
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE', 'PROPFIND', 'SEARCH'];
export const UNPARSEABLE_METHOD = 'FUZZ';

/** Values learnt from the running agent before fuzzing, so that some requests reach deep code paths. */
export interface FuzzContext {
  readonly snapshotIds: readonly number[];
  readonly incidentIds: readonly number[];
  readonly webhookIds: readonly number[];
  readonly deliveryIds: readonly string[];
  readonly baselineNames: readonly string[];
  readonly namespaces: readonly string[];
  readonly keys: readonly string[];
  /** A webhook receiver on 127.0.0.1: the only URL a fuzzed subscription may point at. */
  readonly webhookUrl: string;
  /** A small valid export bundle (GET /export, trimmed). */
  readonly bundle: Record<string, unknown>;
}

export interface FuzzRequest extends RawRequest {
  readonly index: number;
  /** `METHOD template` of the route this request was made from. */
  readonly route: string;
  /** The status the input alone decides (an oversize JSON body: 413), when it does. */
  readonly expectStatus?: number;
}

export const ONE_MIB = 1024 * 1024;

const TIME_BAD = [
  '2026-99-99',
  '2026-02-30T00:00:00Z',
  '2026-13-01',
  '2026-11-29T25:61:61Z',
  // Relative times whose instant lies outside what a Date can hold (±8.64e15 ms): -999999999d is -8.6e16.
  '-999999999d',
  '-200000000d',
  '-999999999w',
  '-100000000w',
  '-999999999h',
  '-99999999999d',
  '-9999999999999999999999d',
  '+999999999d',
  '999999999d',
  '-1.5h',
  '-1e3d',
  '-0s',
  '-s',
  '-30x',
  '30m',
  'now',
  'yesterday',
  'P1D',
  '-P1D',
  '1e21',
  '1e400',
  '-1',
  '-9007199254740993',
  '9007199254740993',
  '8640000000000001',
  '99999999999999999999',
  '0x10',
  '+275760-09-13T00:00:00.001Z',
  '-271821-04-19T23:59:59.999Z',
  '+275760-09-13T00:00:00Z',
  '-271821-04-20T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '0000-01-01T00:00:00Z',
  '-000001-01-01T00:00:00Z',
  '2026-11-29T14:03:00+99:00',
  '2026-11-29T14:03:00Z junk',
  '١٧٠٠٠٠٠٠٠٠٠٠٠',
  'Infinity',
  'NaN',
];

const JUNK = [
  '',
  ' ',
  '0',
  '-0',
  '-1',
  '1.5',
  '1e3',
  'NaN',
  'Infinity',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  '9'.repeat(40),
  `-${'9'.repeat(40)}`,
  '%',
  '%zz',
  '%%32',
  '\u0000',
  'a\u0000b',
  '../../etc/shadow',
  '/etc/shadow',
  '..\\..\\etc\\shadow',
  "' OR '1'='1",
  '"; DROP TABLE "snapshots"; --',
  '<script>alert(1)</script>',
  '${7*7}',
  '{{7*7}}',
  '😀',
  '\u202etxt.exe',
  '\u200b',
  'Ａｂｃ．ｄ',
  'e\u0301',
  '\ud800',
  '\udfff\ud800',
  '日本語',
  '\t',
  '\r\n',
  '*',
  '?',
  '#',
  '&',
  '=',
  '__proto__',
  'constructor',
  'hasOwnProperty',
];

const UNICODE_ALPHABET =
  'aZ09._-/:@+*?%&=#\\ \u00e9\u00df\u0130\u2028\u2029\u202e\u200d\ufeff\ufffd日本😀\u0000\u001f\u007f';
const ASCII_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-/:@+';

/** A random string: mostly short, sometimes unicode, sometimes 10 KB. */
function randomText(rng: SeededRandom): string {
  const roll = rng.next();
  if (roll < 0.04) return rng.string(10_240, ASCII_ALPHABET);
  if (roll < 0.5) return rng.string(rng.int(1, 40), UNICODE_ALPHABET);
  return rng.string(rng.int(1, 40), ASCII_ALPHABET);
}

function junk(rng: SeededRandom): string {
  return rng.chance(0.6) ? rng.pick(JUNK) : randomText(rng);
}

function randomUuid(rng: SeededRandom): string {
  const hex = rng.string(32, '0123456789abcdef');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}

function plausible(kind: ValueKind, rng: SeededRandom, ctx: FuzzContext): string {
  const now = Date.now();
  switch (kind) {
    case 'time':
      return rng.pick([
        '-1h',
        '-30s',
        '-15m',
        '-2h',
        '-7d',
        String(now),
        String(now - 5_000),
        new Date(now).toISOString(),
        new Date(now - 60_000).toISOString().replace('Z', ''),
        '2026-11-29T14:03:00Z',
        '0',
        '2026-01-01',
      ]);
    case 'id':
      return String(rng.pick([...ctx.snapshotIds, ...ctx.incidentIds, ...ctx.webhookIds, 1, 2, 3, 999_999]));
    case 'limit':
      return rng.pick(['1', '2', '10', '100', '1000']);
    case 'cursor':
      return rng.pick(['1', '5', Buffer.from(JSON.stringify({ id: rng.int(1, 50) })).toString('base64url')]);
    case 'namespace':
      return rng.pick(['host', ...ctx.namespaces]);
    case 'key':
      return rng.pick([
        ...ctx.keys,
        'net.core.somaxconn',
        'kernel.hostname',
        'net.ipv4.conf.eth0/100.forwarding',
      ]);
    case 'keyPrefix':
      return rng.pick([
        'net.',
        'kernel.',
        'net.ipv4.conf.',
        'vm.',
        'fs.',
        '%',
        '_',
        '\\',
        'net.core.somaxconn',
      ]);
    case 'text':
      return rng.pick(['somaxconn', 'tcp', 'max', '%', '_', '\\%']);
    case 'scope':
      return rng.pick(['net', 'ipc', 'uts', 'user', 'pid', 'global', 'host', 'namespaced']);
    case 'metric':
      return rng.pick([
        'conntrack.entries',
        'files.allocated',
        'aio.requests',
        'pty.allocated',
        'ports.in_use',
        'tcp.memory_pages',
        'conntrack.drop.total',
      ]);
    case 'points':
      return rng.pick(['1', '2', '100', '500', '1000']);
    case 'lookback':
      return rng.pick(['30m', '1h', '7d', '90d', '45s']);
    case 'baselineName':
      return rng.chance(0.6) ? rng.pick(ctx.baselineNames) : `fuzz-${rng.int(1, 20)}`;
    case 'bool':
      return rng.pick(['true', 'false']);
    case 'exportNamespaces':
      return rng.pick(['host', 'all']);
    case 'interfaces':
      return rng.pick(['grouped', 'raw', 'RAW', 'expand']);
    case 'deliveryStatus':
      return rng.pick(['pending', 'delivered', 'failed']);
    case 'deliveryId':
      return rng.chance(0.6) && ctx.deliveryIds.length > 0 ? rng.pick(ctx.deliveryIds) : randomUuid(rng);
    case 'signature':
      return rng.pick(['nf_conntrack: table full', rng.string(16, '0123456789abcdef'), 'oom-kill']);
  }
}

function malformed(kind: ValueKind, rng: SeededRandom): string {
  if (rng.chance(0.5)) return junk(rng);
  switch (kind) {
    case 'time':
      return rng.pick(TIME_BAD);
    case 'id':
    case 'limit':
    case 'points':
      return rng.pick([
        '0',
        '-1',
        '1.0',
        '01',
        '1e2',
        '0x1',
        '1001',
        '100001',
        '9007199254740993',
        '1'.repeat(16),
      ]);
    case 'key':
    case 'keyPrefix':
      return rng.pick([
        'net..core',
        '.net',
        'net.',
        'a'.repeat(300),
        'net.core.*',
        'net/../../etc',
        '/proc/sys',
      ]);
    case 'lookback':
      return rng.pick(['91d', '0m', '-1h', '1y', '1.5h', 'h', '99999999999999999999d', '1e3d']);
    case 'baselineName':
      return rng.pick(['.', '..', '...', 'a'.repeat(65), 'a b', 'a/b', 'ä']);
    case 'deliveryId':
      return rng.pick([
        randomUuid(rng).toUpperCase(),
        randomUuid(rng).replaceAll('-', ''),
        `${randomUuid(rng)}x`,
      ]);
    default:
      return randomText(rng);
  }
}

function valueOf(kind: ValueKind, rng: SeededRandom, ctx: FuzzContext): string {
  return rng.chance(0.55) ? plausible(kind, rng, ctx) : malformed(kind, rng);
}

/** encodeURIComponent that also takes lone surrogates (emitted as their 3-byte WTF-8 form: invalid UTF-8). */
function encodeStrict(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    const next = value.charCodeAt(i + 1);
    if (code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      out += encodeURIComponent(value.slice(i, i + 2));
      i++;
    } else if (code >= 0xd800 && code <= 0xdfff) {
      out += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
    } else {
      out += encodeURIComponent(value[i] as string);
    }
  }
  return out;
}

/** Leaves printable ASCII as is (so `%`, `/`, `&`, `=` stay raw: bad escapes, extra segments, split params). */
function encodeSloppy(value: string): string {
  return [...value]
    .map((c) => {
      const code = c.charCodeAt(0);
      return code > 0x20 && code < 0x7f && c !== '#' && c !== '?' ? c : encodeStrict(c);
    })
    .join('');
}

function encodeValue(value: string, rng: SeededRandom): string {
  const roll = rng.next();
  if (roll < 0.8) return encodeStrict(value);
  if (roll < 0.9) return encodeSloppy(value);
  return encodeStrict(encodeStrict(value));
}

/** Keeps the request line under Node's 16 KiB header limit (a longer one is refused before the app). */
const MAX_TARGET = 14_000;

function buildQuery(route: RouteSpec, rng: SeededRandom, ctx: FuzzContext): string {
  const pairs: string[] = [];
  for (const [name, kind] of Object.entries(route.query ?? {})) {
    if (!rng.chance(0.6)) continue;
    const roll = rng.next();
    if (roll < 0.05) pairs.push(name);
    else if (roll < 0.1) pairs.push(`${name}=`);
    else pairs.push(`${name}=${encodeValue(valueOf(kind, rng, ctx), rng)}`);
    if (rng.chance(0.07)) pairs.push(`${name}=${encodeValue(valueOf(kind, rng, ctx), rng)}`);
    if (rng.chance(0.03)) pairs.push(`${name}[${rng.pick(['', 'a', '0', '__proto__'])}]=1`);
  }
  if (rng.chance(0.1)) pairs.push(`${encodeValue(junk(rng), rng)}=${encodeValue(junk(rng), rng)}`);
  if (rng.chance(0.05))
    pairs.push(rng.pick(['__proto__[x]=1', 'constructor=1', 'a=1&a=2&a=3', '&&&', '=', '%=%']));
  if (pairs.length === 0 && rng.chance(0.8)) return '';
  return `?${pairs.join('&')}`;
}

function buildPath(route: RouteSpec, rng: SeededRandom, ctx: FuzzContext): string {
  return route.path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const kind = route.params?.[name] ?? 'text';
    const value = valueOf(kind, rng, ctx);
    const encoded = encodeValue(value, rng);
    return encoded === '' && rng.chance(0.5) ? encodeStrict(' ') : encoded;
  });
}

const WRONG_TYPES: readonly unknown[] = [
  null,
  0,
  -1,
  1.5,
  1e308,
  -1e308,
  true,
  false,
  [],
  {},
  ['a'],
  [1, 2],
  [null],
  { a: 1 },
  '',
  'x'.repeat(10_240),
  '\u0000',
  '😀'.repeat(300),
  '-999999999d',
  '2026-99-99',
];

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function templateOf(kind: BodyKind, rng: SeededRandom, ctx: FuzzContext): Record<string, unknown> {
  switch (kind) {
    case 'incident':
      return {
        title: `fuzz incident ${rng.int(1, 1000)}`,
        startedAt: plausible('time', rng, ctx),
        endedAt: rng.chance(0.5) ? plausible('time', rng, ctx) : undefined,
        namespace: rng.chance(0.5) ? plausible('namespace', rng, ctx) : undefined,
        symptoms: rng.chance(0.5) ? ['connection resets', 'timeouts'] : undefined,
      };
    case 'incidentPatch':
      return {
        title: rng.chance(0.5) ? `fuzz incident ${rng.int(1, 1000)}` : undefined,
        endedAt: rng.chance(0.5) ? plausible('time', rng, ctx) : undefined,
        status: rng.chance(0.5) ? rng.pick(['open', 'resolved']) : undefined,
      };
    case 'webhook':
    case 'webhookPatch': {
      const body: Record<string, unknown> = {
        url: ctx.webhookUrl,
        events: rng.pick([['setting.changed'], ['kernel.event', 'incident.opened'], ['namespace.appeared']]),
        keys: rng.pick([['net.*'], ['kernel.?ostname'], []]),
        namespaces: rng.pick([['host'], ['*'], []]),
        description: rng.chance(0.5) ? 'fuzz' : undefined,
      };
      if (kind === 'webhook') body.secret = rng.chance(0.5) ? '0123456789abcdef0123' : undefined;
      else body.active = rng.chance(0.8);
      for (const name of Object.keys(body)) if (kind === 'webhookPatch' && rng.chance(0.5)) delete body[name];
      return body;
    }
    case 'bundle':
      return clone(ctx.bundle);
    case 'preflight':
      return rng.chance(0.5)
        ? {
            sysctls: { [plausible('key', rng, ctx)]: rng.pick(['1024', 'abc', '1 2 3', '']) },
            network: rng.pick(['private', 'host', undefined]),
            runtime: rng.pick(['docker', 'compose', 'kubernetes', undefined]),
          }
        : {
            manifest: rng.pick([
              'services:\n  web:\n    sysctls:\n      net.core.somaxconn: 1024\n',
              'kind: Pod\nspec:\n  hostNetwork: true\n  securityContext:\n    sysctls: [{name: net.ipv4.tcp_syncookies, value: "1"}]\n',
              'a: &a [1, *a]\n',
              '{"services": ',
            ]),
            service: rng.pick(['web', undefined]),
          };
  }
}

/** URLs a mutated subscription may hold: the loopback receiver, or ones the agent must refuse (never sent). */
function urlValue(rng: SeededRandom, ctx: FuzzContext): unknown {
  return rng.pick<unknown>([
    ctx.webhookUrl,
    `${ctx.webhookUrl}?x=1`,
    'file:///etc/shadow',
    'ftp://127.0.0.1/x',
    'gopher://127.0.0.1:1/x',
    'javascript:alert(1)',
    'not a url',
    'http://',
    '',
    `${ctx.webhookUrl}${'a'.repeat(3000)}`,
    ...WRONG_TYPES.filter((v) => typeof v !== 'string'),
  ]);
}

/** Every object/array node of a JSON value, with a way to replace one of its members. */
function containers(
  value: unknown,
  out: Record<string, unknown>[] = [],
  depth = 0,
): Record<string, unknown>[] {
  if (value === null || typeof value !== 'object' || depth > 4) return out;
  out.push(value as Record<string, unknown>);
  for (const member of Object.values(value)) containers(member, out, depth + 1);
  return out;
}

function mutate(body: Record<string, unknown>, kind: BodyKind, rng: SeededRandom, ctx: FuzzContext): void {
  const mutations = rng.int(0, 3);
  for (let m = 0; m < mutations; m++) {
    const nodes = kind === 'bundle' ? containers(body) : [body];
    const node = rng.pick(nodes);
    const names = Object.keys(node);
    const roll = rng.next();
    if (names.length > 0 && roll < 0.25) {
      delete node[rng.pick(names)];
    } else if (names.length > 0 && roll < 0.7) {
      const name = rng.pick(names);
      node[name] =
        name === 'url'
          ? urlValue(rng, ctx)
          : rng.chance(0.6)
            ? rng.pick(WRONG_TYPES)
            : rng.chance(0.5)
              ? junk(rng)
              : [junk(rng), junk(rng)];
    } else if (roll < 0.85) {
      node[rng.pick(['unknownField', 'id', 'createdAt', 'secret', 'extra', 'url2'])] = rng.pick(WRONG_TYPES);
    } else {
      Object.defineProperty(node, rng.pick(['__proto__', 'constructor', 'prototype']), {
        value: { polluted: true, toString: 'x' },
        enumerable: true,
        configurable: true,
        writable: true,
      });
    }
  }
  if (kind !== 'bundle' && typeof body.url === 'string' && !isLoopbackOrRefused(body.url)) {
    body.url = ctx.webhookUrl;
  }
}

/** True unless `raw` is an http(s) URL the agent would accept and send to a host other than 127.0.0.1. */
function isLoopbackOrRefused(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return true;
  }
  return !['http:', 'https:'].includes(url.protocol) || url.hostname === '127.0.0.1' || url.hostname === '';
}

const CONTENT_TYPES = [
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=fuzz',
  'application/xml',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'application/merge-patch+json',
  'application/*',
  '',
  'application/json;;;',
  'json',
];

const RAW_BODIES: readonly (() => string | Buffer)[] = [
  () => '{bad json',
  () => '{"title":',
  () => '',
  () => 'null',
  () => '42',
  () => '-1e999',
  () => '"a string"',
  () => '[]',
  () => '[{}]',
  () => 'true',
  () => '{}',
  () => `${'['.repeat(5000)}${']'.repeat(5000)}`,
  () => `${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}`,
  () => `\ufeff{"title":"bom","startedAt":"-1h"}`,
  () => Buffer.from([0x7b, 0x22, 0x74, 0x22, 0x3a, 0x22, 0xc0, 0xae, 0xff, 0x22, 0x7d]),
  () => '{"title":"\\ud800","startedAt":"-1h"}',
  () => '{"a":1,"a":2}',
  () => 'title=x&startedAt=-1h',
  () => '--fuzz\r\nContent-Disposition: form-data; name="title"\r\n\r\nx\r\n--fuzz--\r\n',
  () => '<incident><title>x</title></incident>',
];

/** The body and headers of one request, or none. */
function buildBody(
  route: RouteSpec,
  method: string,
  rng: SeededRandom,
  ctx: FuzzContext,
): { body?: string | Buffer; headers: Record<string, string>; oversize: boolean } {
  const headers: Record<string, string> = {};
  const carriesBody = route.body !== undefined && method === route.method;
  if (!carriesBody && !rng.chance(0.1)) return { headers, oversize: false };
  if (rng.chance(0.015) && method !== 'HEAD' && method !== 'GET') {
    headers['content-type'] = 'application/json';
    const filler = 'x'.repeat(ONE_MIB + rng.int(1, 64 * 1024));
    return { body: JSON.stringify({ title: filler, startedAt: '-1h' }), headers, oversize: true };
  }
  let body: string | Buffer;
  if (carriesBody && rng.chance(0.7)) {
    const object = templateOf(route.body as BodyKind, rng, ctx);
    mutate(object, route.body as BodyKind, rng, ctx);
    body = JSON.stringify(object);
  } else {
    body = rng.pick(RAW_BODIES)();
  }
  const typeRoll = rng.next();
  if (typeRoll < 0.75) headers['content-type'] = 'application/json';
  else {
    const type = rng.pick(CONTENT_TYPES);
    if (type !== '') headers['content-type'] = type;
  }
  if (rng.chance(0.03)) headers['content-encoding'] = rng.pick(['gzip', 'deflate', 'br', 'identity', 'fuzz']);
  return { body, headers, oversize: false };
}

function randomHeaders(rng: SeededRandom): Record<string, string> {
  const headers: Record<string, string> = {};
  if (rng.chance(0.1))
    headers.accept = rng.pick(['text/html', 'application/xml', '*/*', 'application/json;q=0']);
  if (rng.chance(0.05)) headers.authorization = rng.pick(['Bearer x', 'Basic Zm9vOmJhcg==', 'Bearer', '']);
  if (rng.chance(0.03)) headers['x-forwarded-for'] = rng.pick(['1.2.3.4', 'garbage', '::1, 10.0.0.1']);
  if (rng.chance(0.03)) headers['accept-encoding'] = rng.pick(['gzip', 'br', 'fuzz']);
  return headers;
}

const TOTAL_WEIGHT = FUZZ_ROUTES.reduce((sum, r) => sum + (r.weight ?? 1), 0);

function weightedIndex(rng: SeededRandom): number {
  let point = rng.next() * TOTAL_WEIGHT;
  for (let i = 0; i < FUZZ_ROUTES.length; i++) {
    point -= FUZZ_ROUTES[i]?.weight ?? 1;
    if (point < 0) return i;
  }
  return FUZZ_ROUTES.length - 1;
}

/**
 * One malformed (or now and then plausible) request. Deterministic for a given generator state: the same
 * seed always produces the same list. `routeIndex` forces the route (to cover every route at least once).
 */
export function generateRequest(
  index: number,
  rng: SeededRandom,
  ctx: FuzzContext,
  routeIndex?: number,
): FuzzRequest {
  const route = FUZZ_ROUTES[routeIndex ?? weightedIndex(rng)] as RouteSpec;
  const label = `${route.method} ${route.path}`;
  if (routeIndex === undefined && rng.chance(0.03)) {
    return {
      index,
      route: 'unknown path',
      method: rng.pick(['GET', 'POST', 'DELETE']),
      path: rng.pick(UNKNOWN_PATHS),
    };
  }
  const methodRoll = rng.next();
  const method =
    routeIndex !== undefined || methodRoll < 0.88
      ? route.method
      : methodRoll < 0.995
        ? rng.pick(METHODS)
        : UNPARSEABLE_METHOD;
  let target = `${buildPath(route, rng, ctx)}${buildQuery(route, rng, ctx)}`;
  if (target.length > MAX_TARGET) target = target.slice(0, MAX_TARGET);
  const { body, headers, oversize } = buildBody(route, method, rng, ctx);
  const request: FuzzRequest = {
    index,
    route: label,
    method,
    path: target,
    headers: { ...randomHeaders(rng), ...headers },
    ...(body === undefined ? {} : { body }),
  };
  const baselines = target.startsWith(`${API}/baselines`);
  return oversize && !baselines && method !== UNPARSEABLE_METHOD
    ? { ...request, expectStatus: 413 }
    : request;
}
