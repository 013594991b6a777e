/** What may be uploaded: the formats GB/T 39047 materials and certificate files use, and exchange files. */
export const UPLOAD_CONTENT_TYPES = [
  'application/pdf',
  'image/jpeg',
  'image/png',
  'application/ofd',
  'application/json',
  'text/csv',
] as const;

export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

/** minutes an upload URL stays valid */
export const UPLOAD_URL_TTL_SECONDS = 15 * 60;

/** an upload never attached to anything is forgotten after this */
export const UNCLAIMED_UPLOAD_TTL_SECONDS = 7 * 24 * 3600;
