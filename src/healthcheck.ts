/**
 * The container healthcheck (docker-compose.yml runs `node /app/dist/src/healthcheck.js`): GET /api/v1/health
 * on the address and port the agent was told to bind, from the same environment as the agent. With
 * AUTH_READS=true /health is a read like any other, so it presents the agent's own read token: API_READ_TOKEN
 * when set, else API_TOKEN (a token is harmless when reads are open). Exits 0 when healthy, 1 otherwise. No
 * import of the agent's modules: it starts in a few milliseconds and prints nothing.
 */
const bind = process.env.HOST || '127.0.0.1';
const address =
  bind === '0.0.0.0' ? '127.0.0.1' : bind === '::' ? '[::1]' : bind.includes(':') ? `[${bind}]` : bind;
const token = process.env.API_READ_TOKEN || process.env.API_TOKEN;
const url = `http://${address}:${process.env.PORT || 9477}/api/v1/health`;

fetch(url, {
  headers: token ? { authorization: `Bearer ${token}` } : {},
  signal: AbortSignal.timeout(4000),
}).then(
  (response) => process.exit(response.ok ? 0 : 1),
  () => process.exit(1),
);
