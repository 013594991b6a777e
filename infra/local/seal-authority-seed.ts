import type { PlatformDependencies } from '../../shared/runtime/platform-dependencies.js';
import { initialiseSealAuthority, sealAuthorityRepository } from '../../shared/seals/seal-authority.js';
import { AppError } from '../../shared/errors.js';

/** the name of the seal CA a local platform creates for itself */
export const LOCAL_SEAL_AUTHORITY_NAME = '政务服务平台电子印章中心（本地）';

/**
 * Creates the local platform's seal CA (SM2, as in the China regions) on the first start, so seals
 * can be made at once; in AWS an operator does this once with POST /v1/seal-authority. A CA that
 * exists, or that a concurrent start created first, is kept.
 */
export async function ensureLocalSealAuthority(deps: Pick<PlatformDependencies, 'tables' | 'vault' | 'clock'>): Promise<void> {
  const authorities = sealAuthorityRepository(deps.tables);
  if (await authorities.get()) return;
  try {
    await initialiseSealAuthority({ vault: deps.vault, authorities, clock: deps.clock }, { algorithm: 'SM2', name: LOCAL_SEAL_AUTHORITY_NAME });
  } catch (error) {
    if (!(error instanceof AppError && error.code === 'authority_exists')) throw error;
  }
}
