import { BadParameterError } from '../common/api-errors.js';
import { InvalidEnvironmentError } from '../config/env.schema.js';
import { CliUsageError, parseCliArgs, USAGE } from './cli-args.js';

export interface CliOutput {
  readonly status: number;
  /** What goes to stdout (empty on failure). */
  readonly stdout: string;
  /** One line on failure. */
  readonly stderr: string;
}

/** Runs one CLI command in this process (see cli-commands.ts); never throws: failures are one line. */
export async function runCli(argv: readonly string[], environment: NodeJS.ProcessEnv): Promise<CliOutput> {
  try {
    const invocation = parseCliArgs(argv);
    if (invocation.command === 'help') return { status: 0, stdout: `${USAGE}\n`, stderr: '' };
    // Loaded only for a command: Nest and every module take a while to import, help and usage errors not.
    const { runCommand } = await import('./cli-commands.js');
    const output = await runCommand(invocation, environment);
    const { text, status } = typeof output === 'string' ? { text: output, status: 0 } : output;
    return { status, stdout: `${text}\n`, stderr: '' };
  } catch (error) {
    return { status: statusOf(error), stdout: '', stderr: `kernel-ledger: ${messageOf(error)}\n` };
  }
}

function statusOf(error: unknown): number {
  return error instanceof CliUsageError || error instanceof InvalidEnvironmentError ? 2 : 1;
}

/** One line, no stack: the parameter named as the option it came from. */
function messageOf(error: unknown): string {
  if (error instanceof BadParameterError) return `--${error.message}`;
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]?.trim() || 'failed';
}
