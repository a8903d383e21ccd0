import { bearerOf, tokenMatches } from './bearer-token.js';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface AccessSettings {
  readonly readOnly: boolean;
  readonly apiToken: string | undefined;
  readonly authReads: boolean;
  readonly apiReadToken: string | undefined;
}

export type AccessDecision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly status: 401 | 403 | 405; readonly message: string };

/**
 * Who may do what. Postmortem (read-only) mode refuses every mutation with 405. With an API token set, a
 * mutation needs `Authorization: Bearer <API_TOKEN>`; with authReads a read needs API_TOKEN or API_READ_TOKEN.
 * The read token on a mutation is recognised but not enough: 403, not 401 (presenting it again cannot help).
 * Tokens are compared in constant time and never echoed.
 */
export function decideAccess(
  method: string,
  authorization: string | undefined,
  settings: AccessSettings,
): AccessDecision {
  const isRead = READ_METHODS.has(method);
  if (!isRead && settings.readOnly) {
    return {
      allowed: false,
      status: 405,
      message: 'the agent serves a database read-only (postmortem mode): nothing can be changed or collected',
    };
  }
  if (!settings.apiToken) return { allowed: true };
  const presented = bearerOf(authorization);
  if (tokenMatches(presented, settings.apiToken)) return { allowed: true };
  const readToken = tokenMatches(presented, settings.apiReadToken);
  if (isRead && (!settings.authReads || readToken)) return { allowed: true };
  if (readToken) {
    return {
      allowed: false,
      status: 403,
      message:
        'the read token (API_READ_TOKEN) may only read: changes need Authorization: Bearer <API_TOKEN>',
    };
  }
  return {
    allowed: false,
    status: 401,
    message: isRead
      ? 'reads need Authorization: Bearer <API_TOKEN or API_READ_TOKEN>'
      : 'changes need Authorization: Bearer <API_TOKEN>',
  };
}
