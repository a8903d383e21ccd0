import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import { ApiBadRequestError, ApiNotFoundError } from '../../docs/api-errors.docs.js';
import { IdParam } from '../params/query-params.js';
import { CreateWebhookBody, DeliveryListQuery, UpdateWebhookBody } from './webhook.bodies.js';
import { CreatedWebhookView, DeliveryPage, DeliveryView, WebhookView } from './webhook.views.js';
import { WebhookDeliveriesService } from './webhook-deliveries.service.js';
import { WebhooksService } from './webhooks.service.js';

/** The answer of GET /webhooks (documentation only). */
export class WebhookList {
  @ApiProperty({ type: () => [WebhookView] })
  items!: WebhookView[];
}

const ID_PARAM = {
  name: 'id',
  description: 'Webhook id.',
  example: '3',
  schema: { type: 'string', pattern: '^\\d+$', example: '3' },
} as const;
const BAD_ID = "id: 'abc' is not a whole number from 1 to 9007199254740991";
const NOT_FOUND = 'webhook 3 does not exist';

@ApiTags('webhooks')
@Controller('webhooks')
export class WebhooksController {
  constructor(
    private readonly webhooks: WebhooksService,
    private readonly deliveries: WebhookDeliveriesService,
  ) {}

  /** Subscribes; the answer carries the secret, this once. */
  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Subscribes a URL to events; the answer carries the secret, this once' })
  @ApiCreatedResponse({ type: CreatedWebhookView })
  @ApiBadRequestError('url: scheme ftp is not allowed (http or https only)')
  create(@Body() body: CreateWebhookBody): Promise<CreatedWebhookView> {
    return this.webhooks.create(body);
  }

  @Get()
  @ApiOperation({ summary: 'Every subscription (without secrets)' })
  @ApiOkResponse({ type: WebhookList })
  list(): Promise<{ items: WebhookView[] }> {
    return this.webhooks.list();
  }

  @Get(':id')
  @ApiOperation({ summary: 'One subscription' })
  @ApiParam(ID_PARAM)
  @ApiOkResponse({ type: WebhookView })
  @ApiBadRequestError(BAD_ID)
  @ApiNotFoundError(NOT_FOUND)
  get(@IdParam('id') id: number): Promise<WebhookView> {
    return this.webhooks.get(id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Changes any subset of a subscription (not its secret)' })
  @ApiParam(ID_PARAM)
  @ApiOkResponse({ type: WebhookView })
  @ApiBadRequestError("events: 'settings.changed' is not an event type (one of setting.changed, …)")
  @ApiNotFoundError(NOT_FOUND)
  update(@IdParam('id') id: number, @Body() body: UpdateWebhookBody): Promise<WebhookView> {
    return this.webhooks.update(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Unsubscribes' })
  @ApiParam(ID_PARAM)
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiBadRequestError(BAD_ID)
  @ApiNotFoundError(NOT_FOUND)
  delete(@IdParam('id') id: number): Promise<void> {
    return this.webhooks.delete(id);
  }

  /** Queues a `ping`; see the delivery log for its outcome. */
  @Post(':id/test')
  @HttpCode(202)
  @ApiOperation({ summary: 'Queues a `ping` delivery; see the delivery log for its outcome' })
  @ApiParam(ID_PARAM)
  @ApiAcceptedResponse({ type: DeliveryView })
  @ApiBadRequestError(BAD_ID)
  @ApiNotFoundError(NOT_FOUND)
  test(@IdParam('id') id: number): Promise<DeliveryView> {
    return this.deliveries.ping(id);
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: 'The delivery log of a subscription, newest first, a page at a time' })
  @ApiParam(ID_PARAM)
  @ApiOkResponse({ type: DeliveryPage })
  @ApiBadRequestError("status: 'done' is not one of pending, delivered, failed")
  @ApiNotFoundError(NOT_FOUND)
  deliveryLog(@IdParam('id') id: number, @Query() query: DeliveryListQuery): Promise<DeliveryPage> {
    return this.deliveries.list(id, query);
  }

  @Post(':id/deliveries/:deliveryId/redeliver')
  @HttpCode(202)
  @ApiOperation({ summary: 'Queues a delivery again, with the same id and body' })
  @ApiParam(ID_PARAM)
  @ApiParam({
    name: 'deliveryId',
    description: 'The delivery id (`id` in the delivery log).',
    example: '0b9d2f7e-5c61-4f0a-9a43-6f1d8e2c7b10',
  })
  @ApiAcceptedResponse({ type: DeliveryView })
  @ApiBadRequestError("deliveryId: 'abc' is not a delivery id")
  @ApiNotFoundError('delivery 0b9d2f7e-5c61-4f0a-9a43-6f1d8e2c7b10 of webhook 3 does not exist')
  redeliver(@IdParam('id') id: number, @Param('deliveryId') deliveryId: string): Promise<DeliveryView> {
    return this.deliveries.redeliver(id, deliveryId);
  }
}
