import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { z } from 'zod';
import { AccessTokens } from '../application/access-tokens';
import { Identity, rolesSchema, userIdSchema } from '../application/identity';

/** The claims the gateway relies on; issuer, audience and signature are checked by the JWT library. */
const claimsSchema = z.object({
  sub: userIdSchema,
  roles: rolesSchema,
  // jsonwebtoken accepts tokens without `exp`; ours always expire.
  exp: z.number(),
});

/** HS256 tokens signed with the gateway's secret; issuer, audience and lifetime come from the JwtModule options. */
@Injectable()
export class JwtAccessTokens extends AccessTokens {
  constructor(private readonly jwt: JwtService) {
    super();
  }

  issue(identity: Identity): Promise<string> {
    return this.jwt.signAsync({ roles: identity.roles }, { subject: identity.userId });
  }

  async verify(token: string): Promise<Identity | null> {
    let payload: unknown;
    try {
      payload = await this.jwt.verifyAsync<object>(token);
    } catch {
      return null;
    }
    const claims = claimsSchema.safeParse(payload);
    return claims.success ? { userId: claims.data.sub, roles: claims.data.roles } : null;
  }
}
