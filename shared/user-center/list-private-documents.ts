import { requirePrivateSpace } from './private-space.js';
import type { PrivateDocument } from './user-center-model.js';
import type { UserCenterRepository } from './user-center-repository.js';

/**
 * The documents of the caller's private space, newest first.
 * 1. the private space must be on (409 private_space_off);
 * 2. only the caller's own documents are read: the space is keyed by the caller.
 */
export async function listPrivateDocuments(deps: { userCenter: UserCenterRepository }, sub: string): Promise<PrivateDocument[]> {
  await requirePrivateSpace(deps.userCenter, sub);
  return (await deps.userCenter.privateDocuments(sub)).sort((a, b) => b.storedAt.localeCompare(a.storedAt));
}
