import { Controller, Get, HttpStatus, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ZodValidationPipe } from '@orders/service-runtime';
import { z } from 'zod';
import { AUDITED_ACTIONS, AuditPage, AuditTrail, DEFAULT_AUDIT_PAGE_SIZE, MAX_AUDIT_PAGE_SIZE } from '../application/audit-trail';
import { userIdSchema } from '../application/identity';
import { ADMIN_ROUTE_ERRORS } from './api-docs/api-errors';
import { AUDIT_ERRORS, auditPageExample, auditPageSchema } from './api-docs/audit-docs';
import { ApiErrorResponses, ApiJsonResponse, ApiQueryParameters } from './api-docs/openapi-decorators';
import { deadLetterIdSchema } from './dead-letters.controller';
import { RequireRole } from './require-role';

const auditQuerySchema = z.object({
  deadLetterId: deadLetterIdSchema.optional(),
  actor: userIdSchema.optional(),
  action: z.enum(AUDITED_ACTIONS).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_AUDIT_PAGE_SIZE).default(DEFAULT_AUDIT_PAGE_SIZE),
  before: deadLetterIdSchema.optional(),
});

/** What operators did to dead letters, for reviews and incident reports. */
@Controller('api/v1/admin/audit')
@RequireRole('ops')
@ApiTags('admin')
export class AuditController {
  constructor(private readonly audit: AuditTrail) {}

  @Get()
  @ApiOperation({
    summary: 'List the audit trail',
    description:
      'Every replay, discard, edit-and-replay and bulk action on dead letters, with who did it, on which dead letters and its outcome; newest first, optionally of one dead letter, actor or action. Page with `before` = the previous page’s `nextBefore`; a page reads at most 1000 entries, so a narrow filter may give a short page with a `nextBefore`.',
  })
  @ApiQueryParameters(auditQuerySchema)
  @ApiJsonResponse(HttpStatus.OK, 'A page of the audit trail.', auditPageSchema, { page: { summary: 'An edit-and-replay', value: auditPageExample } })
  @ApiErrorResponses(...ADMIN_ROUTE_ERRORS, AUDIT_ERRORS.auditUnavailable)
  list(@Query(new ZodValidationPipe(auditQuerySchema)) query: z.output<typeof auditQuerySchema>): Promise<AuditPage> {
    return this.audit.list(query);
  }
}
