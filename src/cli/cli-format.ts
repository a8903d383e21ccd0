import type { DiffResult } from '../api/diff/diff.views.js';
import type { IncidentReport } from '../api/incidents/incident.views.js';
import type { SnapshotDetail } from '../api/snapshots/snapshot.views.js';

const shown = (value: string | null): string => (value === null ? '∅' : value);

/** `snapshot` as text: the summary line, then one line per change, per network device and per error. */
export function formatSnapshot(snapshot: SnapshotDetail): string {
  const lines = [
    `snapshot ${snapshot.id} taken ${snapshot.takenAt}: ${snapshot.keysRead} keys in ${snapshot.namespacesRead} ` +
      `namespace sets, ${snapshot.changeCount} changes, ${snapshot.errors.length} errors, ${snapshot.durationMs} ms`,
  ];
  for (const c of snapshot.changes) {
    lines.push(`  ${c.kind.padEnd(8)} ${c.namespace}  ${c.key}: ${shown(c.old)} → ${shown(c.new)}`);
  }
  for (const i of snapshot.interfaces) {
    lines.push(`  ${i.kind.padEnd(8)} ${i.namespace}  interface ${i.interface}: ${i.keyCount} keys`);
    for (const c of i.keys) lines.push(`    ${c.kind.padEnd(8)} ${c.key}: ${shown(c.old)} → ${shown(c.new)}`);
  }
  for (const e of snapshot.errors) {
    const error = e as { source?: unknown; message?: unknown };
    lines.push(`  error    ${String(error.source ?? '?')}: ${String(error.message ?? JSON.stringify(e))}`);
  }
  return lines.join('\n');
}

/** `diff` as text: the window, one line per key, then one per network device (with its changed keys). */
export function formatDiff(diff: DiffResult): string {
  const lines = [
    `${diff.namespace}: ${diff.count} keys differ between ${diff.from} and ${diff.to}`,
    ...diff.entries.map(
      (e) => `  ${e.kind.padEnd(8)} ${e.key}: ${shown(e.before)} → ${shown(e.after)}  (at ${e.changedAt})`,
    ),
    ...diff.interfaces.flatMap((i) => [
      `  ${i.kind.padEnd(8)} interface ${i.interface}: ${i.keyCount} keys  (at ${i.changedAt})`,
      ...i.keys.map((e) => `    ${e.kind.padEnd(8)} ${e.key}: ${shown(e.before)} → ${shown(e.after)}`),
    ]),
  ];
  return lines.join('\n');
}

/** `report` as text: the incident, the ranked suspects with their explanation, the timeline and notes. */
export function formatReport(report: IncidentReport): string {
  const i = report.incident;
  const lines = [
    `incident ${i.id}: ${i.title}${i.namespace ? ` (${i.namespace})` : ''}`,
    `window ${report.window.from} → ${report.window.to}, changes since ${report.window.lookbackFrom}`,
  ];
  if (i.symptoms.length > 0) lines.push(`symptoms: ${i.symptoms.join('; ')}`);
  lines.push(report.suspects.length > 0 ? 'suspects:' : 'suspects: none');
  for (const s of report.suspects) {
    lines.push(`  ${s.rank}. ${s.key} [${s.kinds.join(', ')}] score ${s.score}`);
    lines.push(`     ${s.explanation}`);
  }
  if (report.timeline.length > 0) lines.push('timeline:');
  for (const t of report.timeline) {
    lines.push(
      `  ${t.step}. ${t.from ?? '…'} → ${t.to}  ${t.kind.padEnd(14)} ${t.key}${t.namespace ? ` (${t.namespace})` : ''}: ${t.summary}`,
    );
  }
  for (const note of report.notes) lines.push(`note: ${note}`);
  return lines.join('\n');
}
