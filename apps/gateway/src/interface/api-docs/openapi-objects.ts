import type { HeadersObject, ParameterObject, ResponseObject, SchemaObject } from '@nestjs/swagger';
import { z } from 'zod';

// Pieces of the OpenAPI document built from the zod schemas that validate requests and
// shape answers, so the document says what the code does. The decorators in
// openapi-decorators.ts put them on controllers; bff-routes.ts uses them for the routes the
// gateway only forwards.

/** The one error shape every failing request answers with, registered once in the document's components. */
export const ERROR_BODY_SCHEMA_NAME = 'ErrorBody';
const ERROR_BODY_REF = `#/components/schemas/${ERROR_BODY_SCHEMA_NAME}`;

const EXAMPLE_REQUEST_ID = '5f0c6b0e-2c8f-4f6e-9a57-0d3c2b1a4e77';

/**
 * A zod schema as an OpenAPI 3.1 schema object, which is JSON Schema 2020-12. `input` describes
 * what a client may send (before defaults and transforms), `output` what it receives.
 */
export function openApiSchema(schema: z.ZodType, io: 'input' | 'output'): SchemaObject {
  const { $schema: _dialect, ...jsonSchema } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    // zod adds the regular expression behind a format such as uuid or date-time; the format says it to readers.
    override: ({ jsonSchema: generated }) => {
      if (generated.format !== undefined) delete generated.pattern;
    },
  });
  return jsonSchema as SchemaObject;
}

/** Named examples of a body. */
export type Examples = Record<string, { summary: string; value: unknown }>;

/** Checks examples against their schema as the code loads: one that drifts from the code stops the gateway, and every test, from starting. */
export function checkedExamples(schema: z.ZodType, examples: Examples): Examples {
  for (const [name, { value }] of Object.entries(examples)) {
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new Error(`OpenAPI example "${name}" does not match its schema: ${z.prettifyError(parsed.error)}`);
  }
  return examples;
}

/** Every answer from /api carries the caller's rate-limit budget. */
export const RATE_LIMIT_HEADERS: HeadersObject = {
  'X-RateLimit-Limit': { description: "The size of the caller's bucket (per user when authenticated, else per client IP).", schema: { type: 'integer' } },
  'X-RateLimit-Remaining': { description: 'Requests left in the bucket.', schema: { type: 'integer' } },
  'X-RateLimit-Reset': { description: 'When the bucket is full again, in Unix seconds.', schema: { type: 'integer' } },
};

export const RETRY_AFTER_HEADER: HeadersObject = {
  'Retry-After': { description: 'Seconds to wait before trying again.', schema: { type: 'integer', minimum: 1 } },
};

export const LOCATION_HEADER: HeadersObject = {
  Location: { description: 'Where to read the order.', schema: { type: 'string', format: 'uri-reference' }, example: '/api/v1/orders/0b8e4c52-8a3f-4f53-9d7a-6f1e2c9b7a10' },
};

/** A successful JSON answer. */
export function jsonResponse(description: string, schema: z.ZodType, examples: Examples, headers: HeadersObject = {}): ResponseObject {
  return {
    description,
    headers: { ...RATE_LIMIT_HEADERS, ...headers },
    content: { 'application/json': { schema: openApiSchema(schema, 'output'), examples: checkedExamples(schema, examples) } },
  };
}

/** One way a request can fail: its status, machine-readable code, an example message and when it happens. */
export interface ApiErrorCase {
  status: number;
  code: string;
  message: string;
  details?: unknown;
  when: string;
  headers?: HeadersObject;
}

/** The error answers of an operation by status, each referring to the shared error body and showing every code as an example. */
export function errorResponses(cases: readonly ApiErrorCase[]): Record<number, ResponseObject> {
  const byStatus = new Map<number, ApiErrorCase[]>();
  for (const error of cases) byStatus.set(error.status, [...(byStatus.get(error.status) ?? []), error]);
  return Object.fromEntries(
    [...byStatus].map(([status, errors]): [number, ResponseObject] => [
      status,
      {
        description: errors.map((error) => `\`${error.code}\`: ${error.when}`).join('\n\n'),
        ...headersOf(errors),
        content: {
          'application/json': {
            schema: { $ref: ERROR_BODY_REF },
            examples: Object.fromEntries(
              errors.map(({ code, message, details }) => [
                code,
                { summary: code, value: { error: { code, message, ...(details === undefined ? {} : { details }) }, requestId: EXAMPLE_REQUEST_ID } },
              ]),
            ),
          },
        },
      },
    ]),
  );
}

function headersOf(errors: readonly ApiErrorCase[]): { headers?: HeadersObject } {
  const headers: HeadersObject = Object.assign({}, ...errors.map((error) => error.headers));
  return Object.keys(headers).length > 0 ? { headers } : {};
}

export function pathParameter(name: string, schema: z.ZodType, example: string, description?: string): ParameterObject {
  return { name, in: 'path', required: true, description, schema: openApiSchema(schema, 'input'), examples: { example: { value: example } } };
}

/** One query parameter per field of the zod object that validates the query string. */
export function queryParameters(schema: z.ZodObject): ParameterObject[] {
  const { properties = {}, required = [] } = openApiSchema(schema, 'input');
  return Object.entries(properties).map(([name, property]) => ({ name, in: 'query', required: required.includes(name), schema: property }));
}
