import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomBytes } from 'node:crypto';
import { BadParameterError, NotFoundError } from '../../common/api-errors.js';
import { CLOCK, type Clock } from '../../common/clock.js';
import type { EnvironmentVariables } from '../../config/env.schema.js';
import {
  decideWithoutResolving,
  type DestinationRules,
  destinationRulesFrom,
} from '../../domain/webhooks/decide-destination.js';
import {
  eventsProblems,
  filterProblems,
  normalizeEvents,
  type SubscriptionProblem,
  urlProblem,
} from '../../domain/webhooks/validate-subscription.js';
import type { Subscription } from '../../storage/subscription.js';
import { type SubscriptionPatch, SubscriptionsRepository } from '../../storage/subscriptions.repository.js';
import type { CreateWebhookBody, UpdateWebhookBody } from './webhook.bodies.js';
import { type CreatedWebhookView, webhookView, type WebhookView } from './webhook.views.js';

/** Subscriptions: create (the only answer with the secret), read, change, delete. */
@Injectable()
export class WebhooksService {
  private readonly destinations: DestinationRules;

  constructor(
    private readonly subscriptions: SubscriptionsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.destinations = destinationRulesFrom(
      config.get('WEBHOOK_ALLOW', { infer: true }),
      config.get('WEBHOOK_DENY', { infer: true }),
    ).rules;
  }

  async create(body: CreateWebhookBody): Promise<CreatedWebhookView> {
    rejectProblems([
      ...urlProblems(body.url, this.destinations),
      ...eventsProblems(body.events),
      ...filterProblems('keys', body.keys),
      ...filterProblems('namespaces', body.namespaces),
    ]);
    const secret = body.secret ?? randomBytes(32).toString('hex');
    const created = await this.subscriptions.create(
      {
        url: body.url,
        secret,
        events: normalizeEvents(body.events),
        keys: body.keys ?? [],
        namespaces: body.namespaces ?? [],
        description: body.description ?? null,
      },
      this.clock.now(),
    );
    return { ...webhookView(created), secret };
  }

  async list(): Promise<{ items: WebhookView[] }> {
    return { items: (await this.subscriptions.list()).map(webhookView) };
  }

  async get(id: number): Promise<WebhookView> {
    return webhookView(await this.existing(id));
  }

  async update(id: number, body: UpdateWebhookBody): Promise<WebhookView> {
    rejectProblems([
      ...(body.url === undefined ? [] : urlProblems(body.url, this.destinations)),
      ...eventsProblems(body.events),
      ...filterProblems('keys', body.keys),
      ...filterProblems('namespaces', body.namespaces),
    ]);
    const patch: SubscriptionPatch = {
      url: body.url,
      events: body.events === undefined ? undefined : normalizeEvents(body.events),
      keys: body.keys,
      namespaces: body.namespaces,
      description: body.description,
      active: body.active,
    };
    const updated = await this.subscriptions.update(id, patch, this.clock.now());
    if (!updated) throw notFound(id);
    return webhookView(updated);
  }

  async delete(id: number): Promise<void> {
    if (!(await this.subscriptions.delete(id))) throw notFound(id);
  }

  async existing(id: number): Promise<Subscription> {
    const subscription = await this.subscriptions.get(id);
    if (!subscription) throw notFound(id);
    return subscription;
  }
}

/** The URL's form, then its destination when no DNS is needed to tell (a literal address, a denied name). */
function urlProblems(url: string, destinations: DestinationRules): SubscriptionProblem[] {
  const problem = urlProblem(url);
  if (problem) return [{ field: 'url', message: problem }];
  const verdict = decideWithoutResolving(new URL(url).hostname, destinations);
  return verdict && !verdict.allowed ? [{ field: 'url', message: `is refused: ${verdict.reason}` }] : [];
}

/** Answers 400 naming the first bad field, with every problem in the message. */
function rejectProblems(problems: readonly SubscriptionProblem[]): void {
  const first = problems[0];
  if (!first) return;
  throw new BadParameterError(
    first.field,
    problems.map((p, i) => (i === 0 ? p.message : `${p.field}: ${p.message}`)).join('; '),
  );
}

export function notFound(id: number): NotFoundError {
  return new NotFoundError(`webhook ${id} does not exist`);
}
