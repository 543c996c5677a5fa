import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiParam, ApiQuery, ApiResponse, type HeadersObject } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiErrorCase, checkedExamples, errorResponses, Examples, jsonResponse, openApiSchema, pathParameter, queryParameters } from './openapi-objects';

// Decorators that document a gateway route from the zod schemas its code validates with.

export function ApiJsonBody(schema: z.ZodType, examples: Examples, description?: string): MethodDecorator {
  return ApiBody({ required: true, description, schema: openApiSchema(schema, 'input'), examples: checkedExamples(schema, examples) });
}

export function ApiJsonResponse(status: number, description: string, schema: z.ZodType, examples: Examples, headers?: HeadersObject): MethodDecorator {
  return ApiResponse({ status, ...jsonResponse(description, schema, examples, headers) });
}

export function ApiErrorResponses(...cases: ApiErrorCase[]): MethodDecorator {
  return applyDecorators(...Object.entries(errorResponses(cases)).map(([status, response]) => ApiResponse({ status: Number(status), ...response })));
}

export function ApiPathParameter(name: string, schema: z.ZodType, example: string, description?: string): MethodDecorator {
  const { in: _path, ...parameter } = pathParameter(name, schema, example, description);
  return ApiParam(parameter);
}

export function ApiQueryParameters(schema: z.ZodObject): MethodDecorator {
  return applyDecorators(...queryParameters(schema).map(({ in: _query, ...parameter }) => ApiQuery(parameter)));
}

/** The header that makes a command safe to retry. */
export function ApiIdempotencyKey(schema: z.ZodType): MethodDecorator {
  return ApiHeader({
    name: 'Idempotency-Key',
    required: true,
    description:
      'Chosen by the client, one per intended command and sent unchanged with every retry of it. An order placed with a key is answered the same again for 24 h, also while the first request still runs; the same key with another body is refused (422).',
    schema: openApiSchema(schema, 'input'),
    examples: { example: { value: '8c4a1f2e-7b65-4d0a-a3c9-5e2f1d7b9c31' } },
  });
}
