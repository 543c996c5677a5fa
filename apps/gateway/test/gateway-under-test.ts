import { INestApplication } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { LocalCallerTokens, VerifiedCaller } from '@orders/caller-tokens';
import { createApp } from '@orders/service-runtime';
import { randomUUID } from 'node:crypto';
import { GatewayModule } from '../src/app.module';
import { gatewayConfig } from '../src/config';
import { configureEdge } from '../src/interface/edge';

export const TEST_JWT_SECRET = 'test-secret-that-is-at-least-32-characters-long';
const callerTokens = new LocalCallerTokens();

/** Whom the caller token on a request the gateway forwarded speaks for, as an app behind it would verify it. */
export function forwardedCaller(headers: Record<string, string | string[] | undefined>): VerifiedCaller | null {
  return callerTokens.callerOf(headers.authorization);
}

export interface GatewayUnderTest {
  app: INestApplication;
  url: string;
}

/** A gateway wired as main.ts wires it (edge middleware included), on a free port of 127.0.0.1. */
export async function startGateway(natsUrl: string, env: Record<string, string> = {}): Promise<GatewayUnderTest> {
  const config = gatewayConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    NATS_URL: natsUrl,
    JWT_SECRET: TEST_JWT_SECRET,
    CALLER_TOKEN_PRIVATE_KEY: callerTokens.keys.env.CALLER_TOKEN_PRIVATE_KEY,
    ...env,
  });
  const app = await createApp(GatewayModule.forRoot(config, `gateway-test-${randomUUID()}`), {
    name: 'gateway-test',
    port: 0,
    host: '127.0.0.1',
    consumesMessages: false,
    configureHttp: configureEdge(config),
    edge: true,
  });
  await app.listen(0, '127.0.0.1');
  return { app, url: (await app.getUrl()).replace('[::1]', '127.0.0.1') };
}

/** A token as the gateway issues it, signed with the test secret, for `userId`. */
export function accessToken(userId: string, roles: string[] = ['customer']): string {
  return new JwtService({ secret: TEST_JWT_SECRET }).sign({ sub: userId, roles }, { algorithm: 'HS256', issuer: 'order-platform', audience: 'order-platform', expiresIn: 600 });
}
