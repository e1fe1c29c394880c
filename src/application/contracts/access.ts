import { z } from 'zod';
import { ROLES, SCOPES } from '../access/principal.js';
import { entityIdSchema, textSchema } from './fields.js';

const emailSchema = textSchema
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: 'must be an email address' }).max(254));
/** At least 12 characters (SPEC §5); long passphrases welcome, up to what scrypt should be asked to hash. */
const passwordSchema = textSchema.min(12, { message: 'must be at least 12 characters' }).max(256);

export const loginBodySchema = z.object({ email: emailSchema, password: z.string().min(1).max(256) });
export type LoginBody = z.output<typeof loginBodySchema>;

export const refreshBodySchema = z.object({ refreshToken: textSchema.min(1).max(200) });
export const logoutBodySchema = z.object({ refreshToken: textSchema.min(1).max(200).optional() }).optional();

export const tokenPairSchema = z
  .object({ accessToken: z.string(), refreshToken: z.string(), tokenType: z.literal('Bearer'), expiresIn: z.int() })
  .meta({ id: 'TokenPair' });
export type TokenPair = z.infer<typeof tokenPairSchema>;

export const createUserBodySchema = z.object({
  email: emailSchema,
  password: passwordSchema,
  name: textSchema.trim().min(1).max(200),
  admin: z.boolean().default(false),
});
export type CreateUserBody = z.output<typeof createUserBodySchema>;

export const userViewSchema = z
  .object({ id: z.string(), email: z.string(), name: z.string(), admin: z.boolean(), createdAt: z.string() })
  .meta({ id: 'User' });
export type UserView = z.infer<typeof userViewSchema>;

export const meViewSchema = z
  .object({
    user: userViewSchema.nullable(),
    principal: z.enum(['admin', 'user', 'apiKey', 'guest', 'anonymous']),
    roles: z.array(z.object({ restaurantId: z.string(), role: z.enum(ROLES) })),
  })
  .meta({ id: 'Me' });
export type MeView = z.infer<typeof meViewSchema>;

export const restaurantParamsSchema = z.object({ id: entityIdSchema });
export const memberParamsSchema = z.object({ id: entityIdSchema, userId: entityIdSchema });
export const apiKeyParamsSchema = z.object({ id: entityIdSchema, keyId: entityIdSchema });

export const memberBodySchema = z.object({ userId: entityIdSchema, role: z.enum(ROLES) });
export type MemberBody = z.output<typeof memberBodySchema>;

export const memberViewSchema = z
  .object({ restaurantId: z.string(), userId: z.string(), role: z.enum(ROLES), createdAt: z.string() })
  .meta({ id: 'Member' });
export type MemberView = z.infer<typeof memberViewSchema>;
export const memberListSchema = z.object({ items: z.array(memberViewSchema) });

export const apiKeyBodySchema = z.object({
  name: textSchema.trim().min(1).max(200),
  scopes: z
    .array(z.enum(SCOPES))
    .min(1)
    .max(SCOPES.length)
    .transform((scopes) => [...new Set(scopes)].sort()),
});
export type ApiKeyBody = z.output<typeof apiKeyBodySchema>;

const apiKeyViewSchema = z
  .object({
    id: z.string(),
    restaurantId: z.string(),
    name: z.string(),
    scopes: z.array(z.enum(SCOPES)),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .meta({ id: 'ApiKey' });
export type ApiKeyView = z.infer<typeof apiKeyViewSchema>;
export const createdApiKeySchema = apiKeyViewSchema.extend({ key: z.string() }).meta({ id: 'CreatedApiKey' });
export const apiKeyListSchema = z.object({ items: z.array(apiKeyViewSchema) });
