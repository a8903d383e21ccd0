import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { intParam } from '../params/request-params.js';
import { CreateWebhookBody, DeliveryListQuery, UpdateWebhookBody } from './webhook.bodies.js';
import type { CreatedWebhookView, DeliveryPage, DeliveryView, WebhookView } from './webhook.views.js';
import { WebhookDeliveriesService } from './webhook-deliveries.service.js';
import { WebhooksService } from './webhooks.service.js';

const idParam = (raw: string): number => intParam('id', raw, 1, Number.MAX_SAFE_INTEGER) ?? 0;

@Controller('webhooks')
export class WebhooksController {
  constructor(
    private readonly webhooks: WebhooksService,
    private readonly deliveries: WebhookDeliveriesService,
  ) {}

  /** Subscribes; the answer carries the secret, this once. */
  @Post()
  @HttpCode(201)
  create(@Body() body: CreateWebhookBody): Promise<CreatedWebhookView> {
    return this.webhooks.create(body);
  }

  @Get()
  list(): Promise<{ items: WebhookView[] }> {
    return this.webhooks.list();
  }

  @Get(':id')
  get(@Param('id') id: string): Promise<WebhookView> {
    return this.webhooks.get(idParam(id));
  }

  @Patch(':id')
  update(@Param('id') id: string, @Body() body: UpdateWebhookBody): Promise<WebhookView> {
    return this.webhooks.update(idParam(id), body);
  }

  @Delete(':id')
  @HttpCode(204)
  delete(@Param('id') id: string): Promise<void> {
    return this.webhooks.delete(idParam(id));
  }

  /** Queues a `ping`; see the delivery log for its outcome. */
  @Post(':id/test')
  @HttpCode(202)
  test(@Param('id') id: string): Promise<DeliveryView> {
    return this.deliveries.ping(idParam(id));
  }

  @Get(':id/deliveries')
  deliveryLog(@Param('id') id: string, @Query() query: DeliveryListQuery): Promise<DeliveryPage> {
    return this.deliveries.list(idParam(id), query);
  }

  @Post(':id/deliveries/:deliveryId/redeliver')
  @HttpCode(202)
  redeliver(@Param('id') id: string, @Param('deliveryId') deliveryId: string): Promise<DeliveryView> {
    return this.deliveries.redeliver(idParam(id), deliveryId);
  }
}
