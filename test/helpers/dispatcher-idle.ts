import { WebhookDispatcher } from '../../src/webhooks/webhook-dispatcher.js';
import type { Agent } from './start-agent.js';

/** Waits until the agent's webhook dispatcher has nothing in flight. */
export function dispatcherIdle(agent: Agent): Promise<void> {
  return agent.app.get(WebhookDispatcher).idle();
}
