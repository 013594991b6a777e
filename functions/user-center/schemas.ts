import * as z from 'zod/mini';
import type { OperationSchemas } from '../../shared/http/api-handler.js';
import { itemCode, regionCode } from '../../shared/http/catalog-schemas.js';
import { ulidId } from '../../shared/http/common-schemas.js';
import { AUTO_DESTROY_DELAYS, FAVORITE_TYPES, FOOTPRINT_TYPES, MESSAGE_SOURCES } from '../../shared/user-center/user-center-model.js';

const preferences = z.object({
  region: z.optional(regionCode),
  themes: z.array(z.string().check(z.minLength(1), z.maxLength(50))).check(z.maxLength(20)),
  subscribedItems: z.array(itemCode).check(z.maxLength(50)),
});
const privacy = z.object({
  privateSpace: z.boolean(),
  autoDestroyReadMessages: z.enum(Object.keys(AUTO_DESTROY_DELAYS) as [keyof typeof AUTO_DESTROY_DELAYS, ...(keyof typeof AUTO_DESTROY_DELAYS)[]]),
  recordFootprints: z.boolean(),
});
const message = z.object({
  messageId: z.string(),
  source: z.enum(MESSAGE_SOURCES),
  title: z.string(),
  body: z.string(),
  ref: z.optional(z.string()),
  createdAt: z.string(),
  readAt: z.optional(z.string()),
});
const favorite = z.object({ favoriteId: z.string(), type: z.enum(FAVORITE_TYPES), ref: z.string(), savedAt: z.string() });
const footprint = z.object({ footprintId: z.string(), type: z.enum(FOOTPRINT_TYPES), ref: z.string(), at: z.string() });
const ref = z.string().check(z.trim(), z.minLength(1), z.maxLength(200));
const removed = z.object({ removed: z.number() });
const privateDocument = z.object({
  documentId: z.string(),
  title: z.string(),
  fileName: z.string(),
  contentType: z.string(),
  size: z.number(),
  sha256: z.string(),
  storedAt: z.string(),
});

export const userCenterSchemas = {
  getPreferences: { response: preferences },
  savePreferences: { body: preferences, response: preferences },
  getHome: {
    response: z.object({
      preferences,
      region: z.optional(z.string()),
      subscribedItems: z.array(z.object({ itemCode: z.string(), itemName: z.string(), agency: z.string(), region: z.string(), promisedDays: z.number(), onlineApply: z.boolean() })),
      policies: z.array(z.object({ id: z.string(), title: z.string(), issuer: z.string(), issuedOn: z.string(), region: z.string(), themes: z.array(z.string()) })),
      favorites: z.array(favorite),
      unreadMessages: z.number(),
    }),
  },
  listMessages: {
    query: z.object({ unread: z.optional(z.enum(['true', 'false'])) }),
    response: z.object({ messages: z.array(message), unreadCount: z.number() }),
  },
  readMessage: { params: z.object({ id: z.string().check(z.maxLength(200)) }), response: z.object({ messageId: z.string(), read: z.boolean() }) },
  listFavorites: { response: z.object({ favorites: z.array(favorite) }) },
  addFavorite: { body: z.object({ type: z.enum(FAVORITE_TYPES), ref }), response: favorite, status: 201 },
  removeFavorite: { params: z.object({ id: z.string().check(z.maxLength(220)) }), response: removed },
  listFootprints: { response: z.object({ footprints: z.array(footprint) }) },
  recordFootprint: { body: z.object({ type: z.enum(FOOTPRINT_TYPES), ref }), response: z.object({ recorded: z.boolean(), footprint: z.optional(footprint) }) },
  removeFootprint: { params: z.object({ id: z.string().check(z.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be a footprint id')) }), response: removed },
  clearFootprints: { response: removed },
  getPrivacy: { response: privacy },
  savePrivacy: { body: privacy, response: privacy },
  listPrivateDocuments: { response: z.object({ documents: z.array(privateDocument) }) },
  storePrivateDocument: {
    body: z.strictObject({ blobId: ulidId, title: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)) }),
    response: privateDocument,
    status: 201,
  },
  removePrivateDocument: { params: z.object({ id: ulidId }), response: removed },
} as const satisfies OperationSchemas<'user-center'>;
