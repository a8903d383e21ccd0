import { RequestMethod } from '@nestjs/common';

/** `GET /metrics` lives at the root, like `/docs`: exclude it from the `api/v1` global prefix. */
export const METRICS_ROUTE = { path: 'metrics', method: RequestMethod.GET } as const;
