import { applyDecorators } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiProperty,
} from '@nestjs/swagger';

/** The body of every error the agent answers (see ApiExceptionFilter): no stack trace ever leaves. */
export class ApiErrorBody {
  @ApiProperty({ description: 'The HTTP status code, repeated.', example: 400 })
  statusCode!: number;

  @ApiProperty({ description: 'The HTTP reason phrase.', example: 'Bad Request' })
  error!: string;

  @ApiProperty({
    description: 'What went wrong; a 400 names the parameter first (`from: …`).',
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    example:
      "from: '-15x' is not a time: use ISO-8601, epoch milliseconds, or a relative time like -30s, -15m, -2h, -7d",
  })
  message!: string | string[];
}

/** An example message for a bad time parameter, as the agent words it. */
export const badTimeMessage = (parameter: string): string =>
  `${parameter}: '-15x' is not a time: use ISO-8601, epoch milliseconds, or a relative time like -30s, -15m, -2h, -7d`;

/** 400 with an example error body naming the parameter. */
export function ApiBadRequestError(message: string): MethodDecorator & ClassDecorator {
  return ApiBadRequestResponse({
    description: 'A parameter or the body is malformed; the message names it.',
    type: ApiErrorBody,
    example: { statusCode: 400, error: 'Bad Request', message },
  });
}

/** 404 with an example error body. */
export function ApiNotFoundError(message: string): MethodDecorator & ClassDecorator {
  return ApiNotFoundResponse({
    description: 'The resource is unknown.',
    type: ApiErrorBody,
    example: { statusCode: 404, error: 'Not Found', message },
  });
}

/** 409 with an example error body. */
export function ApiConflictError(message: string): MethodDecorator & ClassDecorator {
  return ApiConflictResponse({
    description: 'The resource already exists.',
    type: ApiErrorBody,
    example: { statusCode: 409, error: 'Conflict', message },
  });
}

/** 400 for a bad time parameter and 404 for an unknown namespace set: the pair most reads share. */
export function ApiTimeAndNamespaceErrors(timeParameter: string, namespaceParameter = 'namespace') {
  return applyDecorators(
    ApiBadRequestError(badTimeMessage(timeParameter)),
    ApiNotFoundError(`${namespaceParameter} 'web-1' matches no namespace set, container or netns`),
  );
}
