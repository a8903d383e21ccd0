import { BaselinesRepository } from './baselines.repository.js';
import { BootsRepository } from './boots.repository.js';
import { DiffRepository } from './diff.repository.js';
import { DriftRepository } from './drift.repository.js';
import { IncidentEvidenceRepository } from './incident-evidence.repository.js';
import { IncidentsRepository } from './incidents.repository.js';
import { KernelEventsRepository } from './kernel-events.repository.js';
import { NamespacesRepository } from './namespaces.repository.js';
import { RetentionRepository } from './retention.repository.js';
import { SettingsRepository } from './settings.repository.js';
import { SnapshotLogRepository } from './snapshot-log.repository.js';
import { StateRepository } from './state.repository.js';
import { UsageRepository } from './usage.repository.js';

/** The read and write repositories of the API and jobs: every SQL statement they run lives in one of these. */
export const REPOSITORIES = [
  BaselinesRepository,
  BootsRepository,
  DiffRepository,
  DriftRepository,
  IncidentEvidenceRepository,
  IncidentsRepository,
  KernelEventsRepository,
  NamespacesRepository,
  RetentionRepository,
  SettingsRepository,
  SnapshotLogRepository,
  StateRepository,
  UsageRepository,
];
