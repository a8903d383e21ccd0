import { MetricsService } from '../../src/metrics/metrics.service.js';
import { type Agent, startAgent } from './start-agent.js';

export interface MetricsAgent extends Agent {
  readonly metrics: MetricsService;
  /** GET /metrics: status, content type and text. */
  scrape(): Promise<{ status: number; contentType: string; text: string }>;
}

/** The agent (startAgent), with its MetricsService and a scrape of `/metrics`. */
export async function startMetricsAgent(env: Record<string, string>): Promise<MetricsAgent> {
  const agent = await startAgent({ env });
  return {
    ...agent,
    metrics: agent.app.get(MetricsService),
    scrape: async () => {
      const response = await fetch(`${agent.baseUrl}/metrics`);
      return {
        status: response.status,
        contentType: response.headers.get('content-type') ?? '',
        text: await response.text(),
      };
    },
  };
}
