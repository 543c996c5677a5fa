import { bearer, VerifiedCaller } from './caller-token';
import { CallerTokenIssuer } from './caller-token-issuer';
import { CallerTokenKeyPair, generateCallerTokenKeys } from './caller-token-keys';
import { CallerTokenVerifier } from './caller-token-verifier';

/**
 * A fresh key pair with both of its ends: what the local stack hands its apps, and what tests
 * use to wire an app behind the gateway and to call it as the gateway would.
 */
export class LocalCallerTokens {
  readonly keys: CallerTokenKeyPair = generateCallerTokenKeys();
  readonly issuer = new CallerTokenIssuer(this.keys.privateKey);
  readonly verifier = new CallerTokenVerifier(this.keys.publicKey);

  /** The `authorization` header the gateway would send for this caller. */
  authorizationFor(userId: string, roles: string[] = ['customer']): string {
    return bearer(this.issuer.tokenFor({ userId, roles }));
  }

  /** Options of a NATS query asked for this caller, as a BFF asks it. */
  askedBy(userId: string, roles?: string[]): { headers: { authorization: string } } {
    return { headers: { authorization: this.authorizationFor(userId, roles) } };
  }

  /** Whom an `authorization` header speaks for, as an app behind the gateway sees it. */
  callerOf(authorization: string | string[] | undefined | null): VerifiedCaller | null {
    return this.verifier.callerOf(Array.isArray(authorization) ? authorization[0] : authorization);
  }
}
