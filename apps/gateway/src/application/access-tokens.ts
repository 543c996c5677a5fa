import { Identity } from './identity';

/** Issues and verifies the platform's access tokens. */
export abstract class AccessTokens {
  abstract issue(identity: Identity): Promise<string>;

  /** The identity a token proves, or null when the token is invalid, expired or not meant for us. */
  abstract verify(token: string): Promise<Identity | null>;
}
