/** Descriptions and examples shared by the DTOs and the document, so every route words them the same way. */

export const TIME_FORMATS =
  'ISO-8601 (`2026-11-29T14:03:00Z`; without an offset, the agent’s local time zone), epoch milliseconds ' +
  '(`1796047380000`) or relative to now (`-30s`, `-15m`, `-2h`, `-7d`).';

export const NAMESPACE_FORMS =
  'A namespace set: its numeric id, `host`, its identity (`net:4026531840/ipc:4026531839/uts:4026531838`), ' +
  'a container name, a container id (a unique prefix of 4+ characters) or a named netns (`ip netns`). ' +
  'A name reused over time names the newest set; `NAME@TIME` the one that bore it at TIME (`web@-2h`).';

/** Description of a time parameter: what it means, then the accepted formats. */
export const timeParam = (meaning: string): string => `${meaning} ${TIME_FORMATS}`;

/** Description of a namespace parameter: what it scopes, then the accepted forms. */
export const namespaceParam = (meaning: string): string => `${meaning} ${NAMESPACE_FORMS}`;
