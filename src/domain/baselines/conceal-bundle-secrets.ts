import { concealedValue, isSecretKey } from '../sysctl/secret-keys.js';
import type { Bundle } from './bundle-types.js';

type Values = Readonly<Record<string, string | null>>;

function concealValues(values: Values): Values {
  if (!Object.keys(values).some(isSecretKey)) return values;
  return Object.fromEntries(
    Object.entries(values).map(([key, value]) => [
      key,
      isSecretKey(key) ? concealedValue(key, value) : value,
    ]),
  );
}

/**
 * The bundle with every secret value (tcp_fastopen_key, stable_secret) as its digest, so a bundle exported
 * by an older agent or another tool never brings a secret into this ledger. Digests stay digests.
 */
export function concealBundleSecrets(bundle: Bundle): Bundle {
  return {
    ...bundle,
    values: concealValues(bundle.values),
    ...(bundle.namespaces
      ? { namespaces: bundle.namespaces.map((ns) => ({ ...ns, values: concealValues(ns.values) })) }
      : {}),
  };
}
