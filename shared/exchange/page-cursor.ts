/** The cursor of a list page: the key to continue after, opaque to callers. */
export const encodeCursor = (lastKey: string | undefined): string | undefined => (lastKey === undefined ? undefined : Buffer.from(lastKey, 'utf8').toString('base64url'));

export const decodeCursor = (cursor: string | undefined): string | undefined => (cursor === undefined ? undefined : Buffer.from(cursor, 'base64url').toString('utf8'));
