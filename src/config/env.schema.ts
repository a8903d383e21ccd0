import path from 'node:path';
import { socketList } from './socket-list.js';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  validateSync,
  ValidateBy,
} from 'class-validator';
import { allowedHostsProblems } from '../domain/access/decide-host.js';
import { destinationRulesFrom } from '../domain/webhooks/decide-destination.js';
import { applyDecorators } from '@nestjs/common';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value;

const toBool = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const text = value.trim().toLowerCase();
  return ['true', '1', 'yes'].includes(text) ? true : ['false', '0', 'no'].includes(text) ? false : value;
};

/**
 * A token travels as one word of an `Authorization: Bearer` header: whitespace (a pasted newline, a space) or a
 * non-ASCII character could never be presented, so such a token is refused rather than accepted unmatchable.
 */
const TOKEN_CHARACTERS = /^[\x21-\x7e]+$/;
const TOKEN_CHARACTERS_MESSAGE =
  'must be printable ASCII without whitespace (it is sent as one word in the Authorization header)';

/**
 * A whole number from `min` to `max` (retention windows). Anything else is left as given, so the error quotes
 * it: `RETENTION_HISTORY_DAYS="0": must be an integer from 1 to 36500`. Absent optional ones stay undefined.
 */
function WholeNumber(min: number, max: number): PropertyDecorator {
  const within = (value: unknown): value is number =>
    typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
  return applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' && /^\d+$/.test(value.trim()) && within(Number(value))
        ? Number(value)
        : value,
    ),
    ValidateBy({
      name: 'wholeNumber',
      constraints: [min, max],
      validator: {
        validate: (value) => value === undefined || within(value),
        defaultMessage: () => `must be an integer from ${min} to ${max}`,
      },
    }),
  );
}

/** Every environment variable the agent reads, with its default. The README's configuration table mirrors this. */
export class EnvironmentVariables {
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number = 9477;

  @IsString()
  @IsNotEmpty()
  HOST: string = '127.0.0.1';

  @IsString()
  @IsNotEmpty()
  DB_PATH: string = './data/kernel-ledger.sqlite';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86400)
  SNAPSHOT_INTERVAL: number = 60;

  @IsString()
  @IsNotEmpty()
  PROC_ROOT: string = '/proc';

  /** Docker-compatible engine sockets, comma-separated: Docker's and podman's; one that does not exist is skipped. */
  @IsString()
  @IsNotEmpty()
  DOCKER_SOCKET: string = '/var/run/docker.sock,/run/podman/podman.sock';

  @IsString()
  @IsNotEmpty()
  NETNS_DIR: string = '/run/netns';

  /** Where the host's boot configuration is (`<root>/etc/sysctl.d`…): `/`, or a read-only mount in a container. */
  @IsString()
  @IsNotEmpty()
  SYSCTL_CONF_ROOT: string = '/';
  /** The CRI socket (containerd, CRI-O); unset: the first of their default sockets that exists; `none`: off. */
  @IsOptional()
  @IsString()
  CRI_SOCKET?: string;

  /** The kubelet's pod log root: pod names from `<namespace>_<pod>_<uid>/<container>/` when no CRI answers. */
  @IsString()
  @IsNotEmpty()
  POD_LOG_ROOT: string = '/var/log/pods';

  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(120000)
  NAMESPACE_READ_TIMEOUT_MS: number = 5000;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(64)
  NAMESPACE_READ_CONCURRENCY: number = 4;

  /**
   * Non-host namespace sets whose every key is read per snapshot (README "Rolling full reads"); the others get a
   * usage-only read, no helper. New sets and the host are always read in full. 0 = every set every snapshot.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(100000)
  FULL_READS_PER_SNAPSHOT: number = 22;

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: LogLevel = 'info';

  /** The kernel log device followed for kernel events. */
  @IsString()
  @IsNotEmpty()
  KMSG_PATH: string = '/dev/kmsg';

  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(60000)
  KMSG_POLL_INTERVAL_MS: number = 1000;

  /** A burst of the same kernel message ends after this long without one: then a new event row starts. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86400)
  KMSG_QUIET_GAP_SECONDS: number = 60;

  /** Bearer token for mutating requests (and reads with AUTH_READS); required to bind beyond loopback. */
  @IsOptional()
  @IsString()
  @MinLength(16)
  @MaxLength(512)
  @Matches(TOKEN_CHARACTERS, { message: TOKEN_CHARACTERS_MESSAGE })
  API_TOKEN?: string;

  /** A second token that may only read. */
  @IsOptional()
  @IsString()
  @MinLength(16)
  @MaxLength(512)
  @Matches(TOKEN_CHARACTERS, { message: TOKEN_CHARACTERS_MESSAGE })
  API_READ_TOKEN?: string;

  @Transform(toBool)
  @IsBoolean()
  AUTH_READS: boolean = false;

  /** Extra names the API may be called by (`Host`), e.g. behind a reverse proxy; `*` turns the check off. */
  @IsString()
  ALLOWED_HOSTS: string = '';

  /** Webhook destinations allowed (CIDRs, addresses, host names, `.domain` suffixes); empty: any not denied. */
  @IsString()
  WEBHOOK_ALLOW: string = '';

  /** Webhook destinations refused, on top of the built-in link-local and metadata denials. */
  @IsString()
  WEBHOOK_DENY: string = '';

  /** Set by the CLI: no background job starts (snapshots, kernel log, webhooks, retention). */
  @Transform(toBool)
  @IsBoolean()
  CLI_MODE: boolean = false;

  /** Usage samples are kept as recorded this long, then one per hour (the hour's maximum). */
  @WholeNumber(1, 36_500)
  USAGE_RETENTION_DAYS: number = 30;

  /** Hourly usage samples are deleted after this many days (0 keeps them); default 4 × USAGE_RETENTION_DAYS. */
  @WholeNumber(0, 36_500)
  USAGE_HOURLY_RETENTION_DAYS?: number;

  @WholeNumber(1, 36_500)
  KERNEL_EVENT_RETENTION_DAYS: number = 90;

  /** When set, value intervals that ended before this many days ago are deleted (unset: history is kept). */
  @WholeNumber(1, 36_500)
  RETENTION_HISTORY_DAYS?: number;

  @WholeNumber(1, 36_500)
  WEBHOOK_DELIVERY_RETENTION_DAYS: number = 30;

  @WholeNumber(1, 10_080)
  RETENTION_INTERVAL_MINUTES: number = 60;

  /** Per delivery attempt, connect to response headers. */
  @WholeNumber(100, 120_000)
  WEBHOOK_TIMEOUT_MS: number = 5000;

  @WholeNumber(1, 3_600_000)
  WEBHOOK_BACKOFF_BASE_MS: number = 5000;

  @WholeNumber(1, 100)
  WEBHOOK_MAX_ATTEMPTS: number = 12;

  /** The dispatcher looks for due deliveries at least this often (it also wakes for the next one due). */
  @WholeNumber(10, 3_600_000)
  WEBHOOK_POLL_INTERVAL_MS: number = 10_000;

  @WholeNumber(1, 10_000)
  WEBHOOK_MAX_EVENTS_PER_DELIVERY: number = 100;

  @WholeNumber(1, 100)
  WEBHOOK_SATURATION_WARN_PERCENT: number = 80;

  @WholeNumber(1, 100)
  WEBHOOK_SATURATION_CRITICAL_PERCENT: number = 95;

  @WholeNumber(0, 50)
  WEBHOOK_SATURATION_HYSTERESIS_PERCENT: number = 5;

  /** dockerode's DOCKER_HOST (`tcp://…`, `ssh://…`); unset: DOCKER_SOCKET. */
  @IsOptional()
  @IsString()
  DOCKER_HOST?: string;

  /** Serve a copied database without collecting: no snapshots, no kernel log, no webhooks, no writes. */
  @Transform(toBool)
  @IsBoolean()
  READ_ONLY: boolean = false;

  /** Largest JSON body accepted, in bytes (baselines have their own, larger limit). */
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(64 * 1024 * 1024)
  BODY_LIMIT_BYTES: number = 256 * 1024;

  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(256 * 1024 * 1024)
  BASELINE_BODY_LIMIT_BYTES: number = 16 * 1024 * 1024;

  /** Mutating requests allowed per client per minute. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100000)
  RATE_LIMIT_PER_MINUTE: number = 120;

  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(600000)
  REQUEST_TIMEOUT_MS: number = 30000;

  /** Open HTTP connections served at once; more are closed on accept, so clients cannot take every descriptor. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  MAX_CONNECTIONS: number = 256;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

/** The critical saturation level of webhooks cannot sit below the warning level. */
function saturationProblems(env: EnvironmentVariables): string[] {
  const warn = env.WEBHOOK_SATURATION_WARN_PERCENT;
  const critical = env.WEBHOOK_SATURATION_CRITICAL_PERCENT;
  if (!Number.isInteger(warn) || !Number.isInteger(critical) || critical >= warn) return [];
  return [
    `WEBHOOK_SATURATION_CRITICAL_PERCENT (${critical}) is below WEBHOOK_SATURATION_WARN_PERCENT (${warn})`,
  ];
}

/** Hourly usage samples cannot expire before raw ones (0 keeps them); an invalid raw window counts as its default. */
function retentionProblems(env: EnvironmentVariables): string[] {
  const raw = Number.isInteger(env.USAGE_RETENTION_DAYS) ? env.USAGE_RETENTION_DAYS : 30;
  const hourly = env.USAGE_HOURLY_RETENTION_DAYS;
  if (!Number.isInteger(hourly) || hourly === undefined || hourly === 0 || hourly >= raw) return [];
  return [
    `USAGE_HOURLY_RETENTION_DAYS (${hourly}) is below USAGE_RETENTION_DAYS (${raw}): hourly samples cannot expire before raw ones (0 keeps them forever)`,
  ];
}

/**
 * Rules that involve several variables, all failing closed: a non-loopback bind needs a token, and closed
 * reads (AUTH_READS) need API_TOKEN, since without it the access rule has no token to demand.
 */
function crossFieldProblems(env: EnvironmentVariables): string[] {
  const problems: string[] = [];
  if (!LOOPBACK.test(env.HOST) && !env.API_TOKEN) {
    problems.push(
      `HOST=${JSON.stringify(env.HOST)}: binding beyond loopback needs API_TOKEN (the agent can describe every container on this host; set a token of 16+ characters)`,
    );
  }
  if (env.AUTH_READS && !env.API_TOKEN) {
    problems.push(
      'AUTH_READS=true needs API_TOKEN (without it reads would stay open; API_READ_TOKEN alone is not enough)',
    );
  }
  if (env.API_READ_TOKEN && !env.AUTH_READS) {
    problems.push(
      'API_READ_TOKEN is set but AUTH_READS is not true: reads are open to anyone, so the read token protects nothing (set AUTH_READS=true)',
    );
  }
  if (env.API_READ_TOKEN && env.API_READ_TOKEN === env.API_TOKEN) {
    problems.push(
      'API_READ_TOKEN equals API_TOKEN: the read token would also allow changes (use two tokens)',
    );
  }
  return problems;
}

/** Entries of the list variables that parse to nothing: named, so a typo never silently widens access. */
function listProblems(env: EnvironmentVariables): string[] {
  const hosts = allowedHostsProblems(String(env.ALLOWED_HOSTS));
  const { problems } = destinationRulesFrom(String(env.WEBHOOK_ALLOW), String(env.WEBHOOK_DENY));
  return [...hosts.map((p) => `ALLOWED_HOSTS: ${p}`), ...problems];
}

export class InvalidEnvironmentError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
  }
}

/** Validates the environment at boot; throws one error naming every bad variable. */
/** Variables without a default: not own properties of a fresh instance, so listed here. */
const OPTIONAL_VARIABLES = [
  'API_TOKEN',
  'API_READ_TOKEN',
  'USAGE_HOURLY_RETENTION_DAYS',
  'RETENTION_HISTORY_DAYS',
  'DOCKER_HOST',
  'CRI_SOCKET',
];

/**
 * Paths are made absolute once, against the working directory at start: the host walk changes directory
 * while it runs (src/os/sysctl-tree.reader.ts), so nothing may depend on it afterwards.
 */
const PATH_VARIABLES = [
  'DB_PATH',
  'PROC_ROOT',
  'DOCKER_SOCKET',
  'NETNS_DIR',
  'KMSG_PATH',
  'SYSCTL_CONF_ROOT',
] as const;

export function validateEnvironment(raw: Record<string, unknown>): EnvironmentVariables {
  const known = [...Object.keys(new EnvironmentVariables()), ...OPTIONAL_VARIABLES];
  const relevant = Object.fromEntries(
    Object.entries(raw).filter(([name, value]) => known.includes(name) && value !== ''),
  );
  const env = plainToInstance(EnvironmentVariables, relevant);
  const errors = validateSync(env, { skipMissingProperties: false });
  const problems = errors.map((e) => {
    const shown = /TOKEN/.test(e.property) ? '<hidden>' : JSON.stringify(e.value);
    return `${e.property}=${shown}: ${Object.values(e.constraints ?? {}).join(', ')}`;
  });
  problems.push(...retentionProblems(env), ...saturationProblems(env));
  if (problems.length === 0) problems.push(...crossFieldProblems(env));
  problems.push(...listProblems(env));
  if (problems.length > 0) throw new InvalidEnvironmentError(problems);
  for (const name of PATH_VARIABLES) env[name] = path.resolve(env[name]);
  env.POD_LOG_ROOT = path.resolve(env.POD_LOG_ROOT);
  // DOCKER_SOCKET is a list (Docker's and podman's sockets): each item resolved on its own.
  env.DOCKER_SOCKET = socketList(env.DOCKER_SOCKET)
    .map((item) => path.resolve(item))
    .join(',');
  return env;
}
