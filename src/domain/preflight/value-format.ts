/**
 * The format of a key's value, judged from what the kernel shows for it: an integer, a list of N integers
 * (tab-separated when read), or a string. Integer keys are parsed by the kernel's proc_dointvec family,
 * measured on this kernel by writing into a fresh netns/ipc ns:
 * - accepted: leading/trailing spaces, hex (`0x10`), several numbers separated by spaces or tabs; fewer
 *   numbers than the key holds (the rest keep their value); more (the extra ones are ignored);
 * - refused with EINVAL: anything else (`abc`, `1.5`, `+1000`, `40000,50000`) and numbers too large to parse.
 * Ranges (somaxconn ≥ 0, tcp_syncookies ≤ 2) are the key's own and not checked here.
 */
export type ValueFormat =
  | { readonly kind: 'integers'; readonly count: number }
  | { readonly kind: 'string' }
  | { readonly kind: 'unknown' };

const INTEGER = /^-?(?:0[xX][0-9a-fA-F]+|\d+)$/;
/** Beyond 2^64 nothing parses (proc_get_long/strtoul). */
const MAX_DIGITS = 20;

export function formatOf(sample: string | null): ValueFormat {
  if (sample === null) return { kind: 'unknown' };
  const tokens = sample.trim().split(/\s+/);
  if (sample.trim() !== '' && tokens.every((t) => /^-?\d+$/.test(t))) {
    return { kind: 'integers', count: tokens.length };
  }
  return { kind: 'string' };
}

export interface FormatCheck {
  readonly wellFormed: boolean;
  readonly notes: string[];
}

export function checkValueFormat(value: string, format: ValueFormat): FormatCheck {
  if (format.kind !== 'integers') {
    return {
      wellFormed: true,
      notes:
        format.kind === 'string'
          ? [
              'a string key: only the kernel knows which strings it accepts (e.g. a congestion control not loaded fails)',
            ]
          : [],
    };
  }
  const tokens = value.trim() === '' ? [] : value.trim().split(/\s+/);
  const bad = tokens.find((t) => !INTEGER.test(t) || t.replace(/^-?(0[xX])?/, '').length > MAX_DIGITS);
  const expected = format.count === 1 ? 'an integer' : `a list of ${format.count} integers`;
  if (tokens.length === 0 || bad !== undefined) {
    return { wellFormed: false, notes: [`the kernel expects ${expected}`] };
  }
  const notes: string[] = [];
  if (tokens.length > format.count) {
    notes.push(
      `the kernel reads ${expected}; the ${tokens.length - format.count} extra value(s) are ignored`,
    );
  } else if (tokens.length < format.count) {
    notes.push(
      `the kernel reads ${expected}; the ${format.count - tokens.length} missing value(s) keep their current value`,
    );
  }
  return { wellFormed: true, notes };
}
