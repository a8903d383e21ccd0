/**
 * Per-interface keys: `net.ipv4.conf.<if>.*`, `net.ipv6.conf.<if>.*`, `net.ipv4.neigh.<if>.*`,
 * `net.ipv6.neigh.<if>.*` (and `net.mpls.conf.<if>.*`). Every network device brings a hundred or more of them
 * and takes them away again, so a container start or stop adds or removes a veth's worth of keys in the host
 * set. `all` and `default` are not devices: they stay ordinary keys.
 */
const INTERFACE_KEY = /^net\.(ipv4|ipv6|mpls)\.(conf|neigh)\.([^.]+)\.[^.]+$/;
const NOT_DEVICES: ReadonlySet<string> = new Set(['all', 'default']);

/**
 * Keys every device of a family has from the moment it exists (kernel 2.6 on): one of them on one side only
 * means the device itself is there on that side only, not that a module added keys to a lasting device.
 */
const PRESENCE_KEYS: ReadonlySet<string> = new Set([
  'ipv4.conf.forwarding',
  'ipv6.conf.forwarding',
  'ipv4.neigh.retrans_time_ms',
  'ipv6.neigh.retrans_time_ms',
  'mpls.conf.input',
]);

/** The device a key belongs to (`veth1a2b3c4`, `eth0/100` for a VLAN), or null for any other key. */
export function interfaceOfKey(key: string): string | null {
  const match = INTERFACE_KEY.exec(key);
  const device = match?.[3];
  return device === undefined || NOT_DEVICES.has(device) ? null : device;
}

function isPresenceKey(key: string): boolean {
  const parts = key.split('.');
  return PRESENCE_KEYS.has(`${parts[1]}.${parts[2]}.${parts[4]}`);
}

/** Where a differing key exists: on the first side only, the second only, or both (with other values). */
export type KeySides = 'first' | 'second' | 'both';

/** appeared: only on the second side; vanished: only on the first; changed: on both, some keys differ. */
export type InterfaceDifferenceKind = 'appeared' | 'vanished' | 'changed';

export interface InterfaceDifference<T> {
  readonly name: string;
  readonly kind: InterfaceDifferenceKind;
  /** How many of the device's keys differ (for appeared/vanished: all the keys it has on its side). */
  readonly keyCount: number;
  /** For a changed device, its keys that differ; empty for one that appeared or vanished. */
  readonly keys: readonly T[];
  /** Every differing key of the device, whatever its kind (for times and for a raw listing). */
  readonly members: readonly T[];
}

export interface GroupedDifferences<T> {
  /** Differences of keys that belong to no device, in input order. */
  readonly keys: readonly T[];
  /** One entry per device with differing keys, by name. */
  readonly interfaces: readonly InterfaceDifference<T>[];
}

/**
 * Groups a list of key differences (a time diff, a set vs set or host vs baseline diff, one snapshot's
 * changes) into one entry per device. A device whose differing keys all exist on one side only, one of them
 * a key every device has, appeared (or vanished) as a whole; otherwise it lasted and its differing keys are
 * listed, keys that came or went with a module included.
 */
export function groupInterfaceKeys<T>(
  differences: readonly T[],
  keyOf: (difference: T) => string,
  sidesOf: (difference: T) => KeySides,
): GroupedDifferences<T> {
  const keys: T[] = [];
  const byDevice = new Map<string, T[]>();
  for (const difference of differences) {
    const device = interfaceOfKey(keyOf(difference));
    if (device === null) keys.push(difference);
    else {
      const members = byDevice.get(device);
      if (members) members.push(difference);
      else byDevice.set(device, [difference]);
    }
  }
  const interfaces = [...byDevice]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, members]): InterfaceDifference<T> => {
      const kind = wholeDeviceKind(members, keyOf, sidesOf);
      return { name, kind, keyCount: members.length, keys: kind === 'changed' ? members : [], members };
    });
  return { keys, interfaces };
}

function wholeDeviceKind<T>(
  members: readonly T[],
  keyOf: (difference: T) => string,
  sidesOf: (difference: T) => KeySides,
): InterfaceDifferenceKind {
  const anchored = members.some((m) => isPresenceKey(keyOf(m)));
  if (!anchored) return 'changed';
  if (members.every((m) => sidesOf(m) === 'second')) return 'appeared';
  if (members.every((m) => sidesOf(m) === 'first')) return 'vanished';
  return 'changed';
}

/** A device's differing keys in one namespace set. */
export interface SetInterfaceDifference<T> extends InterfaceDifference<T> {
  readonly set: string;
}

/**
 * groupInterfaceKeys over differences of several namespace sets (one snapshot's changes): each set's
 * devices are its own (every container has an `eth0`). Plain keys stay in input order; devices come set by
 * set, in the order the sets first appear, then by name.
 */
export function groupInterfaceKeysPerSet<T>(
  differences: readonly T[],
  setOf: (difference: T) => string,
  keyOf: (difference: T) => string,
  sidesOf: (difference: T) => KeySides,
): { readonly keys: readonly T[]; readonly interfaces: readonly SetInterfaceDifference<T>[] } {
  const keys: T[] = [];
  const bySet = new Map<string, T[]>();
  for (const difference of differences) {
    if (interfaceOfKey(keyOf(difference)) === null) keys.push(difference);
    else {
      const set = setOf(difference);
      const members = bySet.get(set);
      if (members) members.push(difference);
      else bySet.set(set, [difference]);
    }
  }
  const interfaces = [...bySet].flatMap(([set, members]) =>
    groupInterfaceKeys(members, keyOf, sidesOf).interfaces.map((device) => ({ set, ...device })),
  );
  return { keys, interfaces };
}
