/** Problems listed in one error answer; the rest are counted. */
export const MAX_LISTED_PROBLEMS = 20;
/** Characters kept of one listed problem (a hostile member name is echoed back in it). */
export const MAX_PROBLEM_LENGTH = 500;
/** Characters kept of a message given as one string (some join their problems with `; `). */
export const MAX_MESSAGE_LENGTH = 8192;

function shortened(line: string, max: number): string {
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

/**
 * The message of an error answer, bounded whatever the request held: at most MAX_LISTED_PROBLEMS lines of at
 * most MAX_PROBLEM_LENGTH characters, then `… and N more problems`; one string, at most MAX_MESSAGE_LENGTH. A 60,000-member body used to come back as
 * a 906 KB list of `property kN should not exist`.
 */
export function boundedErrorMessage(message: string | string[]): string | string[] {
  if (!Array.isArray(message)) return shortened(message, MAX_MESSAGE_LENGTH);
  const listed = message.slice(0, MAX_LISTED_PROBLEMS).map((line) => shortened(line, MAX_PROBLEM_LENGTH));
  const more = message.length - listed.length;
  return more > 0 ? [...listed, `… and ${more} more problem${more === 1 ? '' : 's'}`] : listed;
}
