import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ZodValidationPipe } from '@orders/service-runtime';
import { z } from 'zod';
import { AccessTokens } from '../application/access-tokens';
import { rolesSchema, userIdSchema } from '../application/identity';
import { API_ERRORS, JSON_BODY_ERRORS } from './api-docs/api-errors';
import { accessTokenSchema } from './api-docs/gateway-schemas';
import { ApiErrorResponses, ApiJsonBody, ApiJsonResponse } from './api-docs/openapi-decorators';
import { Public } from './auth.guard';

const devLoginSchema = z.strictObject({ userId: userIdSchema, roles: rolesSchema });

/** Issues a token for any user and roles. Only registered when AUTH_DEV_LOGIN_ENABLED=true. */
@Controller('api/v1/auth')
@ApiTags('auth')
export class DevLoginController {
  constructor(private readonly tokens: AccessTokens) {}

  @Public()
  @Post('dev-login')
  @HttpCode(HttpStatus.OK)
  // `security: []` marks the one route that needs no token.
  @ApiOperation({
    summary: 'Get an access token for any user (development only)',
    description: 'Exists only where AUTH_DEV_LOGIN_ENABLED=true (the local stack); elsewhere it answers 404 like any unknown route.',
    security: [],
  })
  @ApiJsonBody(devLoginSchema, {
    customer: { summary: 'A customer', value: { userId: 'alice', roles: ['customer'] } },
    operator: { summary: 'An operator who may work the dead-letter queue', value: { userId: 'bob@example.com', roles: ['ops'] } },
    editor: { summary: 'An operator who may also edit dead letters’ payloads', value: { userId: 'erin@example.com', roles: ['ops', 'ops-editor'] } },
  })
  @ApiJsonResponse(HttpStatus.OK, 'A token for that user and roles.', accessTokenSchema, {
    token: { summary: 'A token', value: { accessToken: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlcyI6WyJjdXN0b21lciJdLCJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl' } },
  })
  @ApiErrorResponses(API_ERRORS.validationFailed, ...JSON_BODY_ERRORS, API_ERRORS.rateLimited)
  async login(@Body(new ZodValidationPipe(devLoginSchema)) body: z.output<typeof devLoginSchema>): Promise<{ accessToken: string }> {
    return { accessToken: await this.tokens.issue(body) };
  }
}
