export interface SettingView {
  key: string;
  scope: string;
  volatile: boolean;
  /** isolated | mirrored | absent; null until established by a probe or the built-in table. */
  childVisibility: string | null;
  classificationSource: string;
  access: string;
  /** False when the key did not exist at the requested instant. */
  present: boolean;
  /** The value at the instant (for volatile keys: the latest reading); null when unreadable or absent. */
  value: string | null;
  /** Since when this value holds (for volatile keys: when it was read). */
  since: string | null;
}

export interface SettingsPage {
  at: string;
  namespace: string;
  count: number;
  items: SettingView[];
}

export interface NamespaceValue {
  namespace: string;
  kind: string;
  owners: string[];
  value: string | null;
}

export interface SettingDetail extends SettingView {
  firstSeenAt: string;
  evidence: unknown;
  /** The key's current value in every namespace set that has its own reading of it. */
  namespaces: NamespaceValue[];
}

export interface ValueInterval {
  value: string | null;
  from: string;
  /** Null while the value still holds. */
  to: string | null;
}

export interface SettingHistory {
  key: string;
  namespace: string;
  volatile: boolean;
  from: string;
  to: string;
  intervals: ValueInterval[];
}
