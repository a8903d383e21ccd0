/** A command line that cannot be run: printed as one line, exit status 2. */
export class CliUsageError extends Error {}

/** A failure with a message fit for the operator as it is: printed as one line, exit status 1. */
export class CliFailure extends Error {}

export type CliCommand = 'snapshot' | 'export' | 'diff' | 'report' | 'preflight' | 'help';

export interface CliInvocation {
  readonly command: CliCommand;
  /** Positional arguments after the command (the incident id of `report`). */
  readonly args: readonly string[];
  /** `--name value` / `--name=value` options; flags hold 'true'. */
  readonly options: Readonly<Record<string, string>>;
}

const COMMANDS: readonly CliCommand[] = ['snapshot', 'export', 'diff', 'report', 'preflight', 'help'];

/** Options each command takes (values unless listed in FLAGS); `--db`, `--proc` and `--json` go anywhere. */
const GLOBAL_OPTIONS = ['db', 'proc', 'json'];
const COMMAND_OPTIONS: Readonly<Record<CliCommand, readonly string[]>> = {
  snapshot: ['force'],
  export: ['at', 'namespaces'],
  diff: ['from', 'to', 'namespace'],
  report: ['lookback', 'baseline'],
  preflight: ['service', 'runtime', 'network', 'ipc', 'url', 'token'],
  help: [],
};
const FLAGS = new Set(['json', 'force', 'help']);
const POSITIONALS: Readonly<Record<CliCommand, number>> = {
  snapshot: 0,
  export: 0,
  diff: 0,
  report: 1,
  preflight: 1,
  help: 0,
};

export const USAGE = `Usage: kernel-ledger [--db PATH] <command> [options]

Commands:
  snapshot                      take a snapshot now and print it with its changes
                                (--force: even if an agent seems to be recording into the database)
  export [--at T] [--namespaces host|all]
                                print the bundle of one instant as JSON
  diff --from T [--to T] [--namespace NS]
                                keys whose value differs between two instants
  report <incidentId> [--lookback 1h] [--baseline NAME]
                                the incident report: ranked suspects and timeline
  preflight <file> [--service NAME] [--runtime docker|compose|kubernetes]
            [--network host] [--ipc host] [--url URL [--token T]]
                                will a Compose service's or a Pod's sysctls be accepted on this host?
                                exit 1 when one is rejected (--url asks a running agent instead of --db)
  help                          this text

Options:
  --db PATH     the database (default: DB_PATH, else ./data/kernel-ledger.sqlite)
  --proc PATH   the procfs root read by \`snapshot\` (default: PROC_ROOT, else /proc)
  --json        print the API's JSON instead of text (export always prints JSON)

Times: ISO-8601 (2026-11-29T14:03:00Z), epoch milliseconds, or relative (-30s, -15m, -2h, -7d).
Read commands open the database read-only; every variable of the agent applies (see README).`;

/** Parses argv (without node and the script); throws CliUsageError naming what is wrong. */
export function parseCliArgs(argv: readonly string[]): CliInvocation {
  const options: Record<string, string> = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '-h' || arg === '--help') {
      options.help = 'true';
    } else if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = arg.slice(2, eq === -1 ? undefined : eq);
      if (name === '') throw new CliUsageError(`'${arg}' is not an option`);
      if (eq !== -1) options[name] = arg.slice(eq + 1);
      else if (FLAGS.has(name)) options[name] = 'true';
      else {
        const value = argv[i + 1];
        // A value may start with '-' (relative times like -1h), so the next argument is always taken.
        if (value === undefined) throw new CliUsageError(`--${name} needs a value`);
        options[name] = value;
        i += 1;
      }
    } else {
      positional.push(arg);
    }
  }
  const [first, ...args] = positional;
  if (first === undefined || options.help === 'true') return { command: 'help', args: [], options: {} };
  if (!COMMANDS.includes(first as CliCommand)) {
    throw new CliUsageError(
      `unknown command '${first}' (commands: ${COMMANDS.join(', ')}; see kernel-ledger help)`,
    );
  }
  const command = first as CliCommand;
  const allowed = new Set([...GLOBAL_OPTIONS, ...COMMAND_OPTIONS[command]]);
  for (const name of Object.keys(options)) {
    if (!allowed.has(name)) throw new CliUsageError(`${command} does not take --${name}`);
  }
  if (args.length !== POSITIONALS[command]) {
    throw new CliUsageError(
      command === 'report'
        ? 'report needs exactly one incident id: kernel-ledger report <incidentId>'
        : command === 'preflight'
          ? 'preflight needs exactly one file: kernel-ledger preflight <file>'
          : `${command} takes no argument '${args[0]}'`,
    );
  }
  return { command, args, options };
}
