import { InitialSchema1764380000000 } from './1764380000000-initial-schema.js';
import { NamespaceOwners1764390000000 } from './1764390000000-namespace-owners.js';
import { KernelEvents1764400000000 } from './1764400000000-kernel-events.js';
import { Webhooks1764410000000 } from './1764410000000-webhooks.js';
import { Baselines1764420000000 } from './1764420000000-baselines.js';
import { Incidents1764430000000 } from './1764430000000-incidents.js';
import { SettingValuesWindowKeys1764440000000 } from './1764440000000-setting-values-window-keys.js';
import { NamespaceDefaults1764455000000 } from './1764455000000-namespace-defaults.js';
import { BootConfiguration1764465000000 } from './1764465000000-boot-configuration.js';
import { NamespaceLifetimes1764470000000 } from './1764470000000-namespace-lifetimes.js';
import { KeyNamespaces1764472000000 } from './1764472000000-key-namespaces.js';
import { ChangeIntervals1764475000000 } from './1764475000000-change-intervals.js';
import { ConcealSecrets1764480000000 } from './1764480000000-conceal-secrets.js';
import { PodOwners1764485000000 } from './1764485000000-pod-owners.js';
import { SaturatedSamples1764490000000 } from './1764490000000-saturated-samples.js';
import { ConcealConfiguredSecrets1764500000000 } from './1764500000000-conceal-configured-secrets.js';
import { SettingValuesWindowValues1764510000000 } from './1764510000000-setting-values-window-values.js';
import { SnapshotBootIndex1764540000000 } from './1764540000000-snapshot-boot-index.js';

/** Every migration in order, registered explicitly (globs do not load under ESM). Never edit a shipped one. */
export const MIGRATIONS = [
  InitialSchema1764380000000,
  NamespaceOwners1764390000000,
  KernelEvents1764400000000,
  Webhooks1764410000000,
  Baselines1764420000000,
  Incidents1764430000000,
  SettingValuesWindowKeys1764440000000,
  NamespaceDefaults1764455000000,
  BootConfiguration1764465000000,
  NamespaceLifetimes1764470000000,
  KeyNamespaces1764472000000,
  ChangeIntervals1764475000000,
  ConcealSecrets1764480000000,
  PodOwners1764485000000,
  SaturatedSamples1764490000000,
  ConcealConfiguredSecrets1764500000000,
  SettingValuesWindowValues1764510000000,
  SnapshotBootIndex1764540000000,
];
