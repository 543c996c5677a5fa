import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { DEFAULT_DEAD_LETTER_PAGE_SIZE, DeadLetter, DeadLetterPage, isSubjectToken, MAX_DEAD_LETTER_PAGE_SIZE, ReplayedDeadLetter } from '@orders/messaging';
import { ApiError, ZodValidationPipe } from '@orders/service-runtime';
import { z } from 'zod';
import { DeadLetterAdmin } from '../application/dead-letter-admin';
import { BulkOutcome, DeadLetterOperations, EditedReplay, MAX_BULK_DEAD_LETTERS, PayloadRejected } from '../application/dead-letter-operations';
import { RequestContext } from '../application/request-context';
import { ADMIN_ROUTE_ERRORS, API_ERRORS, JSON_BODY_ERRORS } from './api-docs/api-errors';
import { AUDIT_ERRORS, bulkOutcomeExample, bulkOutcomeSchema, editedReplayExample, editedReplaySchema } from './api-docs/audit-docs';
import { deadLetterExample, deadLetterPageExample, EXAMPLE_ORDER_ID, replayedDeadLetterExample } from './api-docs/examples';
import { deadLetterPageSchema, deadLetterSchema, discardedDeadLetterSchema, replayedDeadLetterSchema } from './api-docs/gateway-schemas';
import { ApiErrorResponses, ApiJsonBody, ApiJsonResponse, ApiPathParameter, ApiQueryParameters } from './api-docs/openapi-decorators';
import { Caller } from './auth.guard';
import { RequireRole } from './require-role';

/** Dead-letter ids are JetStream stream sequences. */
const sequence = z
  .string()
  .regex(/^\d{1,15}$/, 'an id is a positive integer')
  .transform(Number);
export const deadLetterIdSchema = sequence.refine((id) => id > 0, 'an id is a positive integer');

const serviceSchema = z.string().refine(isSubjectToken, 'service is a service name such as order-service');

const listQuerySchema = z.object({
  service: serviceSchema.optional(),
  limit: z.coerce.number().int().min(1).max(MAX_DEAD_LETTER_PAGE_SIZE).default(DEFAULT_DEAD_LETTER_PAGE_SIZE),
  after: sequence.optional(),
});

/** Which dead letters a bulk action acts on; every criterion given must match. */
const selectionSchema = z
  .strictObject({
    service: serviceSchema.optional(),
    consumer: z.string().refine(isSubjectToken, 'consumer is a consumer name such as payment-service-order-placed').optional(),
    subject: z.string().min(1).max(256).optional(),
    kind: z.enum(['permanent', 'exhausted']).optional(),
    errorContains: z.string().min(1).max(200).optional().meta({ description: 'Part of the recorded error, in any case.' }),
    ids: z.array(z.int().positive()).min(1).max(MAX_BULK_DEAD_LETTERS).optional(),
  })
  .refine((selection) => Object.keys(selection).length > 0, 'name at least one criterion: an empty filter would act on every dead letter');

const editSchema = z.strictObject({
  payload: z.record(z.string(), z.unknown()).meta({ description: 'The whole edited message, as the dead letter’s `payload` shows it.' }),
  dryRun: z.boolean().default(false).meta({ description: 'Only validate and list the changes; publish nothing.' }),
});

const ID_DESCRIPTION = 'The dead letter’s sequence in the DEAD_LETTERS stream.';

/** Operators' view of the dead-letter queue: inspect, then replay after a fix or discard. */
@Controller('api/v1/admin/dead-letters')
@RequireRole('ops')
@ApiTags('admin')
export class DeadLettersController {
  constructor(
    private readonly deadLetters: DeadLetterAdmin,
    private readonly operations: DeadLetterOperations,
  ) {}

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
  @ApiPathParameter('id', deadLetterIdSchema, '42', ID_DESCRIPTION)
  @ApiJsonResponse(HttpStatus.OK, 'The dead letter.', deadLetterSchema, { refund: { summary: 'An exhausted refund, failed on two replicas', value: deadLetterExample } })
  @ApiErrorResponses(...ADMIN_ROUTE_ERRORS, API_ERRORS.deadLetterNotFound)
  async get(@Param('id', new ZodValidationPipe(deadLetterIdSchema)) id: number): Promise<DeadLetter> {
    return (await this.deadLetters.get(id)) ?? notFound(id);
  }

  @Post(':id/replay')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Replay a dead letter',
    description:
      'Publishes the message again to its original subject, after the cause was fixed, and removes it from the queue. Consumers are idempotent, so a replay has no second effect where the first attempt had one.',
  })
  @ApiPathParameter('id', deadLetterIdSchema, '42', ID_DESCRIPTION)
  @ApiJsonResponse(HttpStatus.OK, 'Published again.', replayedDeadLetterSchema, { replayed: { summary: 'Replayed', value: replayedDeadLetterExample } })
  @ApiErrorResponses(...ADMIN_ROUTE_ERRORS, API_ERRORS.deadLetterNotFound, AUDIT_ERRORS.auditUnavailable)
  async replay(@Param('id', new ZodValidationPipe(deadLetterIdSchema)) id: number, @Caller() caller: RequestContext): Promise<ReplayedDeadLetter> {
    return (await this.operations.replay(caller.identity, id)) ?? notFound(id);
  }

  @Post(':id/discard')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Discard a dead letter', description: 'Removes it from the queue for good, e.g. when its effect was applied by hand.' })
  @ApiPathParameter('id', deadLetterIdSchema, '42', ID_DESCRIPTION)
  @ApiJsonResponse(HttpStatus.OK, 'Discarded.', discardedDeadLetterSchema, { discarded: { summary: 'Discarded', value: { id: 42, discarded: true } } })
  @ApiErrorResponses(...ADMIN_ROUTE_ERRORS, API_ERRORS.deadLetterNotFound, AUDIT_ERRORS.auditUnavailable)
  async discard(@Param('id', new ZodValidationPipe(deadLetterIdSchema)) id: number, @Caller() caller: RequestContext): Promise<{ id: number; discarded: true }> {
    if (!(await this.operations.discard(caller.identity, id))) notFound(id);
    return { id, discarded: true };
  }

  @Post(':id/edit-and-replay')
  @RequireRole('ops-editor')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Edit a dead letter’s payload and replay it',
    description:
      'Needs the `ops-editor` role besides `ops`. The edited payload must pass the event’s schema from the contracts catalogue, as its consumers check it, and keep the type and version of the subject it is replayed to; otherwise nothing is published or removed (422 with every problem). Then, like a replay, it is published to the original subject and the dead letter leaves the queue; the audit trail keeps every changed value, before and after. With `dryRun` it only validates and lists the changes.',
  })
  @ApiPathParameter('id', deadLetterIdSchema, '42', ID_DESCRIPTION)
  @ApiJsonBody(editSchema, {
    edit: { summary: 'A corrected reason', value: { payload: { ...(deadLetterExample.payload as object), data: { orderId: EXAMPLE_ORDER_ID, reason: 'PAYMENT_DECLINED' } } } },
  })
  @ApiJsonResponse(HttpStatus.OK, 'Published with the edited payload (or, for a dry run, valid).', editedReplaySchema, {
    edited: { summary: 'Edited and replayed', value: editedReplayExample },
  })
  @ApiErrorResponses(
    ...ADMIN_ROUTE_ERRORS.filter((error) => error !== API_ERRORS.forbidden),
    ...JSON_BODY_ERRORS,
    AUDIT_ERRORS.editorRoleRequired,
    AUDIT_ERRORS.payloadInvalid,
    AUDIT_ERRORS.payloadUnchanged,
    API_ERRORS.deadLetterNotFound,
    AUDIT_ERRORS.auditUnavailable,
  )
  async editAndReplay(
    @Param('id', new ZodValidationPipe(deadLetterIdSchema)) id: number,
    @Body(new ZodValidationPipe(editSchema)) body: z.output<typeof editSchema>,
    @Caller() caller: RequestContext,
  ): Promise<EditedReplay> {
    try {
      return (await this.operations.editAndReplay(caller.identity, id, body.payload, body.dryRun)) ?? notFound(id);
    } catch (error) {
      if (error instanceof PayloadRejected) throw new ApiError(HttpStatus.UNPROCESSABLE_ENTITY, error.code, error.message, error.issues);
      throw error;
    }
  }

  @Post('replay')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Replay the dead letters a filter matches',
    description: `Like replaying each, oldest first, going on past failures. Every criterion given must match; an empty filter is refused. At most ${MAX_BULK_DEAD_LETTERS} per call: \`more\` says when more matched. One audit entry lists them all.`,
  })
  @ApiJsonBody(selectionSchema, { byConsumer: { summary: 'One consumer’s exhausted deliveries', value: { consumer: 'payment-service-order-cancelled', kind: 'exhausted' } } })
  @ApiJsonResponse(HttpStatus.OK, 'What was replayed and what could not be.', bulkOutcomeSchema, { outcome: { summary: 'Two of three', value: bulkOutcomeExample } })
  @ApiErrorResponses(...ADMIN_ROUTE_ERRORS, ...JSON_BODY_ERRORS, AUDIT_ERRORS.auditUnavailable)
  replayMatching(@Body(new ZodValidationPipe(selectionSchema)) selection: z.output<typeof selectionSchema>, @Caller() caller: RequestContext): Promise<BulkOutcome> {
    return this.operations.bulk(caller.identity, 'replay', selection);
  }

  @Post('discard')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Discard the dead letters a filter matches',
    description: `Like discarding each. Every criterion given must match; an empty filter is refused. At most ${MAX_BULK_DEAD_LETTERS} per call: \`more\` says when more matched. One audit entry lists them all.`,
  })
  @ApiJsonBody(selectionSchema, { byIds: { summary: 'Chosen dead letters', value: { ids: [42, 43, 44] } } })
  @ApiJsonResponse(HttpStatus.OK, 'What was discarded and what could not be.', bulkOutcomeSchema, {
    outcome: { summary: 'Two of three', value: { ...bulkOutcomeExample, action: 'discard' } },
  })
  @ApiErrorResponses(...ADMIN_ROUTE_ERRORS, ...JSON_BODY_ERRORS, AUDIT_ERRORS.auditUnavailable)
  discardMatching(@Body(new ZodValidationPipe(selectionSchema)) selection: z.output<typeof selectionSchema>, @Caller() caller: RequestContext): Promise<BulkOutcome> {
    return this.operations.bulk(caller.identity, 'discard', selection);
  }
}

function notFound(id: number): never {
  throw new ApiError(HttpStatus.NOT_FOUND, 'DEAD_LETTER_NOT_FOUND', `There is no dead letter ${id}`);
}
