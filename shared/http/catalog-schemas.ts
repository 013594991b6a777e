import * as z from 'zod/mini';

/** Request fields the catalog and search functions share, so each rule is written once. */
export const itemCode = z.string().check(z.regex(/^[A-Z]{2}-[A-Z]{2}-\d{4}$/, 'must be an item code like SC-XK-0001'));

export const regionCode = z.string().check(z.regex(/^[1-9]\d{5}$/, 'must be a six-digit GB/T 2260 region code'));

export const versionNumber = z.number().check(z.int(), z.minimum(1), z.maximum(1_000_000));

/** a positive whole number in a query string (1 to 9999) */
export const positiveIntegerText = z.string().check(z.regex(/^[1-9]\d{0,3}$/, 'must be a whole number from 1 to 9999'));

export const agencyView = z.object({ uscc: z.string(), name: z.string() });

export const locationView = z.object({ lat: z.number(), lng: z.number() });

/** a service hall as the catalog functions answer it */
export const hallView = z.object({
  id: z.string(),
  name: z.string(),
  address: z.string(),
  region: z.string(),
  location: locationView,
  openingHours: z.string(),
  itemCodes: z.array(z.string()),
  agency: agencyView,
  phone: z.optional(z.string()),
  version: z.number(),
  updatedAt: z.string(),
  distanceMetres: z.optional(z.number()),
});
