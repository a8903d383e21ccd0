/**
 * Volatile keys are counters or per-read values, not settings: they never produce change history.
 *
 * Measured on Linux 6.18.44 (x86_64 VM, idle apart from the capture itself): four captures of all 1336 keys,
 * ~20 s apart, changed exactly `fs.dentry-state`, `fs.inode-nr`, `fs.inode-state`, `kernel.ns_last_pid` and
 * `kernel.random.uuid` (test/fixtures/README.md). The other entries are counters that stand still on an idle host
 * but move under load (open files, AIO contexts, ptys, conntrack entries, quota statistics, hung tasks).
 *
 * Deliberately not volatile:
 * - `kernel.tainted`: a bit mask of taint reasons that only ever gains bits (a module, a WARN, an oops). Each
 *   change is an event worth keeping in history, not a count.
 * - `kernel.{msg,sem,shm}_next_id`: -1 unless a checkpoint/restore tool sets them; a write is a setting.
 * - `fs.quota.warnings`: a setting (print quota warnings), unlike its `fs.quota.*` siblings.
 * - `vm.stat_refresh`: reading it refreshes the vm statistics and returns nothing, so its value never changes.
 */
const VOLATILE_KEYS: ReadonlySet<string> = new Set([
  'fs.aio-nr',
  'fs.dentry-state',
  'fs.file-nr',
  'fs.inode-nr',
  'fs.inode-state',
  'kernel.hung_task_detect_count',
  'kernel.ns_last_pid',
  'kernel.pty.nr',
  'net.netfilter.nf_conntrack_count',
]);

/**
 * Every `kernel.random.*` key counts as volatile (DESIGN.md): `uuid` differs on every read, `boot_id` on every
 * boot, `entropy_avail` is a level. `poolsize` is constant and `urandom_min_reseed_secs` and
 * `write_wakeup_threshold` have been accepted-but-ignored since Linux 5.18, so none of them is a real setting.
 * `fs.quota.*` holds the dquot statistics (lookups, drops, reads, writes, cache_hits, allocated/free_dquots, syncs).
 */
const VOLATILE_SUBTREES: readonly string[] = ['kernel.random.', 'fs.quota.'];

const NOT_VOLATILE_IN_VOLATILE_SUBTREES: ReadonlySet<string> = new Set(['fs.quota.warnings']);

export function isVolatileKey(key: string): boolean {
  if (VOLATILE_KEYS.has(key)) return true;
  if (NOT_VOLATILE_IN_VOLATILE_SUBTREES.has(key)) return false;
  return VOLATILE_SUBTREES.some((prefix) => key.startsWith(prefix));
}
