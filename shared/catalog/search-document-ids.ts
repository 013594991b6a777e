import type { SearchDocument } from '../ports/search-index.js';

/**
 * Ids and payload of the catalog's search documents (built in search-documents.ts), kept apart
 * so the search function reads them without the projection and its region table.
 * - `item:<code>` a basic item; `guide:<code>:<region>` its implementation in a region;
 * - `policy:<id>`; `life-event:<id>`.
 */
export const COLLAPSE_FIELD = 'item';

export const itemDocumentId = (code: string) => `item:${code}`;
export const guideDocumentId = (code: string, region: string) => `guide:${code}:${region}`;
export const policyDocumentId = (id: string) => `policy:${id}`;
export const lifeEventDocumentId = (id: string) => `life-event:${id}`;

/** The catalog key a document id names: the item code of items and guides, the id of policies and life events. */
export function catalogKeyOf(documentId: string, type: SearchDocument['type']): { code: string } | { id: string } {
  const [, key = ''] = documentId.split(':');
  return type === 'item' || type === 'guide' ? { code: key } : { id: key };
}

/** What a search hit says about its document beyond the title. */
export interface SearchPayload {
  readonly code?: string;
  readonly id?: string;
  readonly region: string;
  readonly regionName: string;
  readonly department?: string;
  readonly agency?: string;
  readonly promisedDays?: number;
  readonly onlineDepth?: number;
  readonly issuedOn?: string;
}
