import jwt from 'jsonwebtoken';
import { createSecretKey } from 'node:crypto';
import { bearer, CALLER_TOKEN } from './caller-token';
import { CallerTokenIssuer } from './caller-token-issuer';
import { callerTokenSigningConfigSchema, callerTokenVerificationConfigSchema, generateCallerTokenKeys } from './caller-token-keys';
import { CallerTokenVerifier } from './caller-token-verifier';

const keys = generateCallerTokenKeys();
const alice = { userId: 'alice', roles: ['customer'] };

function clock(startMs = Date.UTC(2026, 0, 1)) {
  let nowMs = startMs;
  return { now: () => nowMs, advance: (ms: number) => (nowMs += ms) };
}

/** A token with the right claims, signed however the test says. */
function forged(options: jwt.SignOptions, key: jwt.Secret | null = keys.privateKey, payload: object = { roles: ['customer'] }): string {
  return jwt.sign(payload, key as jwt.Secret, { issuer: CALLER_TOKEN.issuer, audience: CALLER_TOKEN.audience, subject: 'alice', expiresIn: 60, ...options });
}

describe('caller tokens', () => {
  const time = clock();
  const issuer = new CallerTokenIssuer(keys.privateKey, time.now);
  const verifier = new CallerTokenVerifier(keys.publicKey, time.now);

  it('proves to a verifier the caller the gateway signed it for', () => {
    expect(verifier.callerOf(bearer(issuer.tokenFor(alice)))).toEqual(alice);
  });

  it('reuses a caller’s token for half its lifetime, then signs a new one', () => {
    const first = issuer.tokenFor(alice);
    time.advance((CALLER_TOKEN.lifetimeSeconds * 1000) / 2 - 1_000);
    expect(issuer.tokenFor(alice)).toBe(first);
    expect(issuer.tokenFor({ userId: 'alice', roles: ['customer', 'ops'] })).not.toBe(first);
    time.advance(2_000);
    expect(issuer.tokenFor(alice)).not.toBe(first);
  });

  it('stops accepting a token once it has expired, also after having verified it', () => {
    const local = clock();
    const token = new CallerTokenIssuer(keys.privateKey, local.now).tokenFor(alice);
    const localVerifier = new CallerTokenVerifier(keys.publicKey, local.now);
    expect(localVerifier.verify(token)).toEqual(alice);
    local.advance((CALLER_TOKEN.lifetimeSeconds + CALLER_TOKEN.clockToleranceSeconds + 1) * 1000);
    expect(localVerifier.verify(token)).toBeNull();
    expect(new CallerTokenVerifier(keys.publicKey, local.now).verify(token)).toBeNull();
  });

  const plain = new CallerTokenVerifier(keys.publicKey);
  it.each([
    ['signed with another key', () => forged({ algorithm: 'ES256' }, generateCallerTokenKeys().privateKey)],
    ['unsigned (alg none)', () => forged({ algorithm: 'none' }, null)],
    ['HMAC-signed with the public key (algorithm confusion)', () => forged({ algorithm: 'HS256' }, createSecretKey(Buffer.from(keys.env.CALLER_TOKEN_PUBLIC_KEY)))],
    ['for another audience (a client access token)', () => forged({ algorithm: 'ES256', audience: 'order-platform' })],
    ['from another issuer', () => forged({ algorithm: 'ES256', issuer: 'someone-else' })],
    ['without roles', () => forged({ algorithm: 'ES256' }, keys.privateKey, {})],
    ['without an expiry', () => jwt.sign({ roles: [] }, keys.privateKey, { algorithm: 'ES256', issuer: CALLER_TOKEN.issuer, audience: CALLER_TOKEN.audience, subject: 'alice' })],
    ['not a token at all', () => 'not.a.token'],
  ])('refuses a token %s', (_label, token) => {
    expect(plain.verify(token())).toBeNull();
  });

  it.each([undefined, null, '', 'alice', `Basic ${Buffer.from('alice:x').toString('base64')}`, 'Bearer', 'Bearer  two spaces'])(
    'proves nothing with the authorization header %p',
    (authorization) => {
      expect(plain.callerOf(authorization)).toBeNull();
    },
  );

  it('reads keys from the environment, escaped line breaks included, and names a variable that holds none', () => {
    expect(
      callerTokenVerificationConfigSchema.parse({ CALLER_TOKEN_PUBLIC_KEY: keys.env.CALLER_TOKEN_PUBLIC_KEY.replace(/\n/g, '\\n') }).CALLER_TOKEN_PUBLIC_KEY.asymmetricKeyType,
    ).toBe('ec');
    expect(callerTokenSigningConfigSchema.parse(keys.env).CALLER_TOKEN_PRIVATE_KEY.type).toBe('private');
    expect(callerTokenVerificationConfigSchema.safeParse({ CALLER_TOKEN_PUBLIC_KEY: keys.env.CALLER_TOKEN_PRIVATE_KEY }).error?.message).toMatch(/private key/);
    const refused = callerTokenVerificationConfigSchema.safeParse({ CALLER_TOKEN_PUBLIC_KEY: 'secret' });
    expect(refused.error?.issues[0]).toMatchObject({ path: ['CALLER_TOKEN_PUBLIC_KEY'] });
    expect(callerTokenVerificationConfigSchema.safeParse({}).success).toBe(false);
  });
});
