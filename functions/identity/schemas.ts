import * as z from 'zod/mini';
import type { OperationSchemas } from '../../shared/http/api-handler.js';

const tokenResponse = z.object({
  accessToken: z.string(),
  expiresIn: z.number(),
  tokenType: z.literal('Bearer'),
});

export const identitySchemas = {
  createSession: {
    status: 201,
    body: z.strictObject({
      username: z.string().check(z.minLength(1), z.maxLength(254)),
      password: z.string().check(z.minLength(1), z.maxLength(1024)),
    }),
    response: tokenResponse,
  },
  getMe: {
    response: z.object({
      accountId: z.string(),
      subjectType: z.string(),
      name: z.string(),
      level: z.number(),
      verifiedMethods: z.array(z.string()),
      roles: z.array(z.string()),
      agency: z.optional(z.string()),
      region: z.optional(z.string()),
      idType: z.optional(z.string()),
      idNumber: z.optional(z.string()),
      uscc: z.optional(z.string()),
      phone: z.optional(z.string()),
      email: z.optional(z.string()),
      createdAt: z.string(),
    }),
  },
} as const satisfies OperationSchemas<'identity'>;
