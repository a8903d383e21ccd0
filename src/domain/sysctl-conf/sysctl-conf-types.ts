/** Where an assignment of the boot configuration was written: a file and its 1-based line. */
export interface ConfSource {
  readonly file: string;
  readonly line: number;
}

/**
 * One line of a sysctl.d file that systemd-sysctl keeps. `key` is in the agent's dotted form and may be a glob
 * (`net.ipv4.conf.*.rp_filter`). `value` is null for a `-key` line without `=`, which only excludes that key from
 * globs. `ignoreFailure` is the `-` prefix: the write may fail (unknown key, read-only) without an error.
 */
export interface ConfAssignment {
  readonly key: string;
  readonly value: string | null;
  readonly ignoreFailure: boolean;
  readonly source: ConfSource;
}

/** A line systemd-sysctl would skip with a warning. */
export interface ConfProblem {
  readonly source: ConfSource;
  readonly message: string;
}

/** A configuration file found under one of the sysctl.d directories (or /etc/sysctl.conf). */
export interface ConfFileEntry {
  /** The directory as configured, e.g. `/etc/sysctl.d`. */
  readonly dir: string;
  /** The file name, e.g. `99-tuning.conf`. */
  readonly name: string;
  /** A symlink to /dev/null (or an empty file named like one) masks the same name in later directories. */
  readonly masked: boolean;
}

/** What the boot configuration would set for one key of this kernel, and which line says so. */
export interface ConfiguredValue {
  readonly key: string;
  readonly value: string;
  readonly source: ConfSource;
  /** The glob of the line when it came from a glob, else null. */
  readonly glob: string | null;
  readonly ignoreFailure: boolean;
}
