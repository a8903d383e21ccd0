import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { STATUS_CODES } from 'node:http';
import { InvalidInstantError } from '../domain/time/parse-instant.js';
import { describeFault, isStorageFault } from '../storage/storage-write.error.js';
import { BadParameterError, NotFoundError } from './api-errors.js';
import { boundedErrorMessage } from './bounded-error-message.js';

interface ErrorBody {
  statusCode: number;
  error: string;
  message: string | string[];
}

/** Every error leaves as JSON {statusCode, error, message}; nothing a client sends yields a stack trace. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    // A storage fault is logged by storage, once per outage, and is in /health: no stack per request.
    if (body.statusCode >= 500 && !isStorageFault(exception))
      this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    response.status(body.statusCode).json({ ...body, message: boundedErrorMessage(body.message) });
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof BadParameterError || exception instanceof InvalidInstantError) {
      return { statusCode: 400, error: 'Bad Request', message: exception.message };
    }
    if (exception instanceof NotFoundError)
      return { statusCode: 404, error: 'Not Found', message: exception.message };
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const message =
        typeof response === 'object' && response !== null && 'message' in response
          ? (response.message as string | string[])
          : exception.message;
      return { statusCode: status, error: STATUS_CODES[status] ?? 'Error', message };
    }
    if (isStorageFault(exception)) {
      const message = `the database cannot record this: ${describeFault(exception)}`;
      return { statusCode: 503, error: 'Service Unavailable', message };
    }
    return { statusCode: 500, error: 'Internal Server Error', message: 'internal error; see the agent log' };
  }
}
