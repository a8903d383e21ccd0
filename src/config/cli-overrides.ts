/** `npm start -- --read-only --db path/to/copy.sqlite`: flags that stand for environment variables. */
export function cliOverrides(argv: readonly string[]): Record<string, string> {
  const overrides: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--read-only') overrides.READ_ONLY = 'true';
    else if (arg === '--db' && argv[i + 1] !== undefined) overrides.DB_PATH = argv[++i] ?? '';
    else if (arg?.startsWith('--db=')) overrides.DB_PATH = arg.slice('--db='.length);
    else throw new Error(`unknown argument '${arg}': the agent takes --read-only and --db <path>`);
  }
  return overrides;
}

/** The agent's raw configuration: the process environment with its command-line flags applied. */
export function environmentWithFlags(argv: readonly string[]): Record<string, unknown> {
  return { ...process.env, ...cliOverrides(argv) };
}
