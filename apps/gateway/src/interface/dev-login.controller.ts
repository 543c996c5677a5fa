import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ZodValidationPipe } from '@orders/service-runtime';
import { z } from 'zod';
import { AccessTokens } from '../application/access-tokens';
import { rolesSchema, userIdSchema } from '../application/identity';
import { Public } from './auth.guard';

const devLoginSchema = z.object({ userId: userIdSchema, roles: rolesSchema });

/** Issues a token for any user and roles. Only registered when AUTH_DEV_LOGIN_ENABLED=true. */
@Controller('api/v1/auth')
export class DevLoginController {
  constructor(private readonly tokens: AccessTokens) {}

  @Public()
  @Post('dev-login')
  @HttpCode(HttpStatus.OK)
  async login(@Body(new ZodValidationPipe(devLoginSchema)) body: z.output<typeof devLoginSchema>): Promise<{ accessToken: string }> {
    return { accessToken: await this.tokens.issue(body) };
  }
}
