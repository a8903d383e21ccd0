/**
 * True when two readings of the kernel's boot id (`/proc/sys/kernel/random/boot_id`, new at every boot) say the
 * host rebooted between them. An unknown id (null: not read, or a snapshot older than boot ids) proves nothing.
 */
export function rebootBetween(before: string | null, after: string | null): boolean {
  return before !== null && after !== null && before !== after;
}
