import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsString, Max, Min, validateSync } from 'class-validator';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value;

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

  @IsString()
  @IsNotEmpty()
  DOCKER_SOCKET: string = '/var/run/docker.sock';

  @IsString()
  @IsNotEmpty()
  NETNS_DIR: string = '/run/netns';

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

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: LogLevel = 'info';
}

export class InvalidEnvironmentError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
  }
}

/** Validates the environment at boot; throws one error naming every bad variable. */
export function validateEnvironment(raw: Record<string, unknown>): EnvironmentVariables {
  const known = Object.keys(new EnvironmentVariables());
  const relevant = Object.fromEntries(
    Object.entries(raw).filter(([name, value]) => known.includes(name) && value !== ''),
  );
  const env = plainToInstance(EnvironmentVariables, relevant);
  const errors = validateSync(env, { skipMissingProperties: false });
  if (errors.length > 0) {
    throw new InvalidEnvironmentError(
      errors.map(
        (e) => `${e.property}=${JSON.stringify(e.value)}: ${Object.values(e.constraints ?? {}).join(', ')}`,
      ),
    );
  }
  return env;
}
