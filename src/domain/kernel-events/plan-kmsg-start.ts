export interface KmsgCursor {
  readonly bootId: string;
  /** Sequence number of the last record handled (stored or not); -1 when the buffer was empty. */
  readonly lastSeq: number;
}

/**
 * Where to start following /dev/kmsg. `end`: first run ever, skip what is already in the buffer (history of
 * an unknown past is not attributed). `after`: same boot, resume after the stored sequence number. `beginning`:
 * a new boot, everything in the ring buffer is new.
 */
export type KmsgStart =
  | { readonly mode: 'end' }
  | { readonly mode: 'after'; readonly seq: number }
  | { readonly mode: 'beginning' };

export function planKmsgStart(cursor: KmsgCursor | null, bootId: string): KmsgStart {
  if (!cursor) return { mode: 'end' };
  if (cursor.bootId === bootId) return { mode: 'after', seq: cursor.lastSeq };
  return { mode: 'beginning' };
}
