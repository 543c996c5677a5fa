import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import { z } from 'zod';

/**
 * A PEM key from an environment variable. Escaped line breaks (`\n`) are accepted too, so the
 * key fits on one line of an env file.
 */
function pemKey(kind: 'private' | 'public') {
  return z.string({ error: `a ${kind} EC P-256 key in PEM` }).transform((pem, context) => {
    try {
      const text = pem.replace(/\\n/g, '\n');
      // createPublicKey also derives a public key from a private one: that key must never sit with the verifiers.
      if (kind === 'public' && /PRIVATE KEY/.test(text)) throw new Error('a private key, which only the gateway may have');
      const key = kind === 'private' ? createPrivateKey(text) : createPublicKey(text);
      if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') throw new Error('not an EC P-256 key');
      return key;
    } catch (error) {
      context.addIssue({ code: 'custom', message: `not a ${kind} EC P-256 key in PEM (${error instanceof Error ? error.message : String(error)})` });
      return z.NEVER;
    }
  });
}

/** The gateway's signing key; no other app has it. */
export const callerTokenSigningConfigSchema = z.object({ CALLER_TOKEN_PRIVATE_KEY: pemKey('private') });

/** What every app behind the gateway verifies its callers with. */
export const callerTokenVerificationConfigSchema = z.object({ CALLER_TOKEN_PUBLIC_KEY: pemKey('public') });

export interface CallerTokenKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The keys as the environment variables hold them. */
  env: { CALLER_TOKEN_PRIVATE_KEY: string; CALLER_TOKEN_PUBLIC_KEY: string };
}

/** A fresh key pair: for the local stack and tests. Deployments create theirs once and keep it in a Secret. */
export function generateCallerTokenKeys(): CallerTokenKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    privateKey,
    publicKey,
    env: {
      CALLER_TOKEN_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      CALLER_TOKEN_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    },
  };
}
