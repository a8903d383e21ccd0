import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { BadParameterError, NotFoundError } from '../../common/api-errors.js';
import { CLOCK, type Clock } from '../../common/clock.js';
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
  constructor(
    private readonly subscriptions: SubscriptionsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async create(body: CreateWebhookBody): Promise<CreatedWebhookView> {
    rejectProblems([
      ...urlProblems(body.url),
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
      ...(body.url === undefined ? [] : urlProblems(body.url)),
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

function urlProblems(url: string): SubscriptionProblem[] {
  const problem = urlProblem(url);
  return problem ? [{ field: 'url', message: problem }] : [];
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
