import type { Evidence, EvidenceKind } from '../../domain/correlation/evidence-types.js';
import type { TimelineEntry } from '../../domain/correlation/build-timeline.js';

export interface IncidentView {
  id: number;
  title: string;
  startedAt: string;
  endedAt: string | null;
  namespace: string | null;
  owners: string[];
  symptoms: string[];
  source: string;
  signature: string | null;
  createdAt: string;
}

export interface SuspectView {
  rank: number;
  key: string;
  scope: string;
  childVisibility: string | null;
  kinds: EvidenceKind[];
  score: number;
  explanation: string;
  evidence: Evidence[];
}

export interface IncidentReport {
  incident: IncidentView;
  window: { from: string; to: string; lookbackFrom: string };
  /** Empty when nothing recorded explains the window: that is an answer, not an error. */
  suspects: SuspectView[];
  timeline: (Omit<TimelineEntry, 'at'> & { at: string })[];
  notes: string[];
}
