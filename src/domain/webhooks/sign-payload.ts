import { createHmac, timingSafeEqual } from 'node:crypto';

/** `sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`, the X-Kernel-Ledger-Signature header. */
export function signPayload(secret: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex');
  return `sha256=${mac}`;
}

/** What a receiver does: recompute and compare in constant time. */
export function verifySignature(
  secret: string,
  timestampSeconds: number,
  body: string,
  signature: string,
): boolean {
  const expected = Buffer.from(signPayload(secret, timestampSeconds, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
