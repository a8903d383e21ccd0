import { EnumQuery } from './query-params.js';

export type InterfaceKeysMode = 'grouped' | 'raw';
const MODES: readonly InterfaceKeysMode[] = ['grouped', 'raw'];

/**
 * `interfaces` of the diff routes and of a snapshot's changes: `grouped` (default) folds the keys of each
 * network device (`net.ipv{4,6}.{conf,neigh}.<device>.*`) into one entry per device; `raw` lists them as
 * keys in `listField`.
 */
export const InterfacesQuery = (listField = 'entries'): PropertyDecorator =>
  EnumQuery(MODES, {
    description:
      '`grouped` (default): the keys of each network device (`net.ipv{4,6}.{conf,neigh}.<device>.*`, not `all` ' +
      'or `default`) are one entry per device in `interfaces` (appeared, vanished, or its keys that changed); ' +
      `\`raw\`: every key in \`${listField}\` and \`interfaces\` empty.`,
    example: 'raw',
  });

export function wantsRawInterfaces(mode: string | undefined): boolean {
  return mode === 'raw';
}
