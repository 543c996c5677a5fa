import { z } from 'zod';

/** `ops-editor` may also edit a dead letter's payload before replaying it, on top of `ops`. */
export const ROLES = ['customer', 'ops', 'ops-editor'] as const;
export type Role = (typeof ROLES)[number];

/** Also safe to carry in an HTTP header, which is how the identity travels to upstream services. */
export const userIdSchema = z.string().regex(/^[A-Za-z0-9_.@-]{1,64}$/, 'userId is 1-64 letters, digits or any of _ - . @');
export const rolesSchema = z
  .array(z.enum(ROLES))
  .min(1)
  .transform((roles) => [...new Set(roles)]);

/** Who is calling, as established by a verified access token. */
export interface Identity {
  userId: string;
  roles: Role[];
}
