import { conflict } from '../errors.js';
import type { UserCenterRepository } from './user-center-repository.js';

/** where the private space keeps a document's bytes: per user, outside uploads/, whose unclaimed objects expire */
export const privateDocumentBlobKey = (sub: string, documentId: string) => `private-space/${sub}/${documentId}`;

/** the private space works only while the user keeps it on in their privacy settings (409 private_space_off) */
export async function requirePrivateSpace(userCenter: Pick<UserCenterRepository, 'privacy'>, sub: string): Promise<void> {
  if (!(await userCenter.privacy(sub)).privateSpace) throw conflict('Turn the private space on in the privacy settings first', 'private_space_off');
}
