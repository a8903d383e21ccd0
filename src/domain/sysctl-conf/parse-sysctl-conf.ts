import type { ConfAssignment, ConfProblem } from './sysctl-conf-types.js';

export interface ParsedConfFile {
  readonly assignments: ConfAssignment[];
  readonly problems: ConfProblem[];
}

const COMMENT_STARTS = '#;';

/**
 * systemd's sysctl_normalize, into the agent's dotted key form. When the first separator of `raw` is a slash the
 * name is a path (`net/ipv4/conf/eth0.100/forwarding`, where a dot belongs to a segment); otherwise dots separate
 * and a slash stands for a dot inside a segment (`net.ipv4.conf.eth0/100.forwarding`). Both give
 * `net.ipv4.conf.eth0/100.forwarding`. Empty segments (`//`, a leading or trailing separator) are dropped.
 */
export function normalizeConfKey(raw: string): string {
  const first = /[./]/.exec(raw)?.[0];
  const segments = first === '/' ? raw.split('/') : raw.split('.').map((s) => s.replaceAll('/', '.'));
  return segments
    .filter((s) => s.length > 0)
    .map((s) => s.replaceAll('.', '/'))
    .join('.');
}

/**
 * Parses one sysctl.d file as systemd-sysctl does: blank lines and lines starting with `#` or `;` are skipped,
 * `key = value` is trimmed on both sides (the value is taken literally, quotes included), a leading `-` on the key
 * marks a write whose failure is ignored, and `-key` without `=` excludes the key from globs. Any other line
 * without `=` is skipped with a problem, as systemd-sysctl warns and goes on.
 */
export function parseSysctlConf(file: string, text: string): ParsedConfFile {
  const assignments: ConfAssignment[] = [];
  const problems: ConfProblem[] = [];
  text.split('\n').forEach((rawLine, index) => {
    const source = { file, line: index + 1 };
    const line = rawLine.trim();
    if (line.length === 0 || COMMENT_STARTS.includes(line[0] ?? '')) return;
    const eq = line.indexOf('=');
    let name = eq >= 0 ? line.slice(0, eq).trim() : line;
    const value = eq >= 0 ? line.slice(eq + 1).trim() : null;
    if (value === null && !name.startsWith('-')) {
      problems.push({ source, message: `line is not an assignment: ${line}` });
      return;
    }
    const ignoreFailure = name.startsWith('-');
    if (ignoreFailure) name = name.slice(1).trim();
    const key = normalizeConfKey(name);
    if (key.length === 0) {
      problems.push({ source, message: 'assignment without a key' });
      return;
    }
    assignments.push({ key, value, ignoreFailure: ignoreFailure && value !== null, source });
  });
  return { assignments, problems };
}
