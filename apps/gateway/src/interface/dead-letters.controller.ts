import { Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { DEFAULT_DEAD_LETTER_PAGE_SIZE, DeadLetter, DeadLetterPage, isSubjectToken, MAX_DEAD_LETTER_PAGE_SIZE, ReplayedDeadLetter } from '@orders/messaging';
import { ApiError, ZodValidationPipe } from '@orders/service-runtime';
import { z } from 'zod';
import { DeadLetterAdmin } from '../application/dead-letter-admin';
import { RequireRole } from './require-role';

/** Dead-letter ids are JetStream stream sequences. */
const sequence = z.string().regex(/^\d{1,15}$/, 'an id is a positive integer').transform(Number);
const idSchema = sequence.refine((id) => id > 0, 'an id is a positive integer');

const listQuerySchema = z.object({
  service: z.string().refine(isSubjectToken, 'service is a service name such as order-service').optional(),
  limit: z.coerce.number().int().min(1).max(MAX_DEAD_LETTER_PAGE_SIZE).default(DEFAULT_DEAD_LETTER_PAGE_SIZE),
  after: sequence.optional(),
});

/** Operators' view of the dead-letter queue: inspect, then replay after a fix or discard. */
@Controller('api/v1/admin/dead-letters')
@RequireRole('ops')
export class DeadLettersController {
  constructor(private readonly deadLetters: DeadLetterAdmin) {}

  @Get()
  list(@Query(new ZodValidationPipe(listQuerySchema)) query: z.output<typeof listQuerySchema>): Promise<DeadLetterPage> {
    return this.deadLetters.list(query);
  }

  @Get(':id')
  async get(@Param('id', new ZodValidationPipe(idSchema)) id: number): Promise<DeadLetter> {
    return (await this.deadLetters.get(id)) ?? notFound(id);
  }

  @Post(':id/replay')
  @HttpCode(HttpStatus.OK)
  async replay(@Param('id', new ZodValidationPipe(idSchema)) id: number): Promise<ReplayedDeadLetter> {
    return (await this.deadLetters.replay(id)) ?? notFound(id);
  }

  @Post(':id/discard')
  @HttpCode(HttpStatus.OK)
  async discard(@Param('id', new ZodValidationPipe(idSchema)) id: number): Promise<{ id: number; discarded: true }> {
    if (!(await this.deadLetters.discard(id))) notFound(id);
    return { id, discarded: true };
  }
}

function notFound(id: number): never {
  throw new ApiError(HttpStatus.NOT_FOUND, 'DEAD_LETTER_NOT_FOUND', `There is no dead letter ${id}`);
}
