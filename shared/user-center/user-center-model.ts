/** What the user centre keeps of a user: settings, inbox messages, favourites, footprints. */
export const AUTO_DESTROY_DELAYS = { off: undefined, '1h': 3600, '24h': 86_400, '7d': 604_800 } as const;
export type AutoDestroy = keyof typeof AUTO_DESTROY_DELAYS;

export interface PrivacySettings {
  readonly privateSpace: boolean;
  readonly autoDestroyReadMessages: AutoDestroy;
  readonly recordFootprints: boolean;
}

/** what a user gets before choosing: footprints recorded (they feed recommendations), nothing destroyed */
export const DEFAULT_PRIVACY: PrivacySettings = { privateSpace: false, autoDestroyReadMessages: 'off', recordFootprints: true };

export interface Preferences {
  readonly region?: string;
  readonly themes: readonly string[];
  readonly subscribedItems: readonly string[];
}

export const MESSAGE_SOURCES = ['case', 'interaction', 'certificate', 'recommendation', 'system'] as const;

export interface InboxMessage {
  readonly messageId: string;
  readonly source: (typeof MESSAGE_SOURCES)[number];
  readonly title: string;
  readonly body: string;
  /** what the message is about: a case number, an interaction id */
  readonly ref?: string;
  readonly createdAt: string;
  readonly readAt?: string;
  /** epoch seconds after which the read message is destroyed */
  readonly expiresAt?: number;
}

export const FAVORITE_TYPES = ['item', 'policy', 'guide'] as const;
export interface Favorite {
  readonly favoriteId: string;
  readonly type: (typeof FAVORITE_TYPES)[number];
  readonly ref: string;
  readonly savedAt: string;
}

export const FOOTPRINT_TYPES = ['item', 'policy', 'guide', 'search'] as const;
export interface Footprint {
  readonly footprintId: string;
  readonly type: (typeof FOOTPRINT_TYPES)[number];
  /** the item code, policy or guide id viewed, or the keywords searched */
  readonly ref: string;
  readonly at: string;
}

/** footprints are kept half a year */
export const FOOTPRINT_TTL_SECONDS = 183 * 86_400;

/** a document in the user's private space: the bytes are copied out of the upload, which would expire */
export interface PrivateDocument {
  readonly documentId: string;
  readonly title: string;
  readonly fileName: string;
  readonly contentType: string;
  readonly size: number;
  readonly sha256: string;
  readonly storedAt: string;
}
