import { Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { DEFAULT_DEAD_LETTER_PAGE_SIZE, DeadLetter, DeadLetterPage, isSubjectToken, MAX_DEAD_LETTER_PAGE_SIZE, ReplayedDeadLetter } from '@orders/messaging';
import { ApiError, ZodValidationPipe } from '@orders/service-runtime';
import { z } from 'zod';
import { DeadLetterAdmin } from '../application/dead-letter-admin';
import { ADMIN_ROUTE_ERRORS, API_ERRORS } from './api-docs/api-errors';
import { deadLetterExample, deadLetterPageExample, replayedDeadLetterExample } from './api-docs/examples';
import { deadLetterPageSchema, deadLetterSchema, discardedDeadLetterSchema, replayedDeadLetterSchema } from './api-docs/gateway-schemas';
import { ApiErrorResponses, ApiJsonResponse, ApiPathParameter, ApiQueryParameters } from './api-docs/openapi-decorators';
import { RequireRole } from './require-role';

/** Dead-letter ids are JetStream stream sequences. */
const sequence = z
  .string()
  .regex(/^\d{1,15}$/, 'an id is a positive integer')
  .transform(Number);
const idSchema = sequence.refine((id) => id > 0, 'an id is a positive integer');

const listQuerySchema = z.object({
  service: z.string().refine(isSubjectToken, 'service is a service name such as order-service').optional(),
  limit: z.coerce.number().int().min(1).max(MAX_DEAD_LETTER_PAGE_SIZE).default(DEFAULT_DEAD_LETTER_PAGE_SIZE),
  after: sequence.optional(),
});

/** Operators' view of the dead-letter queue: inspect, then replay after a fix or discard. */
@Controller('api/v1/admin/dead-letters')
@RequireRole('ops')
@ApiTags('admin')
export class DeadLettersController {
  constructor(private readonly deadLetters: DeadLetterAdmin) {}

  @Get()
  @ApiOperation({ summary: 'List dead letters', description: 'Oldest first, optionally of one service; page with `after` = the previous page’s `nextAfter`.' })
  @ApiQueryParameters(listQuerySchema)
  @ApiJsonResponse(HttpStatus.OK, 'A page of dead letters, without their payloads.', deadLetterPageSchema, {
    page: { summary: 'One exhausted refund', value: deadLetterPageExample },
  })
  @ApiErrorResponses(...ADMIN_ROUTE_ERRORS)
  list(@Query(new ZodValidationPipe(listQuerySchema)) query: z.output<typeof listQuerySchema>): Promise<DeadLetterPage> {
    return this.deadLetters.list(query);
  }

  @Get(':id')
  @ApiOperation({
    summary: 'Inspect a dead letter',
    description: 'With the original headers and payload, the error, the number of attempts and the history of its failed deliveries (each with its replica and error).',
  })
  @ApiPathParameter('id', idSchema, '42', 'The dead letter’s sequence in the DEAD_LETTERS stream.')
  @ApiJsonResponse(HttpStatus.OK, 'The dead letter.', deadLetterSchema, { refund: { summary: 'An exhausted refund, failed on two replicas', value: deadLetterExample } })
  @ApiErrorResponses(...ADMIN_ROUTE_ERRORS, API_ERRORS.deadLetterNotFound)
  async get(@Param('id', new ZodValidationPipe(idSchema)) id: number): Promise<DeadLetter> {
    return (await this.deadLetters.get(id)) ?? notFound(id);
  }

  @Post(':id/replay')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Replay a dead letter',
    description:
      'Publishes the message again to its original subject, after the cause was fixed, and removes it from the queue. Consumers are idempotent, so a replay has no second effect where the first attempt had one.',
  })
  @ApiPathParameter('id', idSchema, '42', 'The dead letter’s sequence in the DEAD_LETTERS stream.')
  @ApiJsonResponse(HttpStatus.OK, 'Published again.', replayedDeadLetterSchema, { replayed: { summary: 'Replayed', value: replayedDeadLetterExample } })
  @ApiErrorResponses(...ADMIN_ROUTE_ERRORS, API_ERRORS.deadLetterNotFound)
  async replay(@Param('id', new ZodValidationPipe(idSchema)) id: number): Promise<ReplayedDeadLetter> {
    return (await this.deadLetters.replay(id)) ?? notFound(id);
  }

  @Post(':id/discard')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Discard a dead letter', description: 'Removes it from the queue for good, e.g. when its effect was applied by hand.' })
  @ApiPathParameter('id', idSchema, '42', 'The dead letter’s sequence in the DEAD_LETTERS stream.')
  @ApiJsonResponse(HttpStatus.OK, 'Discarded.', discardedDeadLetterSchema, { discarded: { summary: 'Discarded', value: { id: 42, discarded: true } } })
  @ApiErrorResponses(...ADMIN_ROUTE_ERRORS, API_ERRORS.deadLetterNotFound)
  async discard(@Param('id', new ZodValidationPipe(idSchema)) id: number): Promise<{ id: number; discarded: true }> {
    if (!(await this.deadLetters.discard(id))) notFound(id);
    return { id, discarded: true };
  }
}

function notFound(id: number): never {
  throw new ApiError(HttpStatus.NOT_FOUND, 'DEAD_LETTER_NOT_FOUND', `There is no dead letter ${id}`);
}
