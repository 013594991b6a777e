import { createApiHandler, type ApiHandler } from '../../shared/http/api-handler.js';
import type { CoreDependencies, PlatformDependencies } from '../../shared/runtime/platform-dependencies.js';
import { sealAuthorityRepository } from '../../shared/seals/seal-authority.js';
import { sealRepository } from '../../shared/seals/seal-repository.js';
import { loadSealSettings, type SealSettings } from '../../shared/seals/seal-settings.js';
import { signWithSeal } from '../../shared/seals/sign-with-seal.js';
import { trustStoreLoader } from '../../shared/seals/trust-store.js';
import { verifySealSignature } from '../../shared/seals/verify-seal-signature.js';
import { sealSignSchemas } from './schemas.js';
import { sealSignFunction } from '../../infra/manifest.js';

/** Signing with seal keys in the vault, and verification of anyone's seals (GB/T 39047 §6.3.3 e). */
export type SealSignDependencies = CoreDependencies & Pick<PlatformDependencies, 'tables' | 'vault'>;

export function createHandler(deps: SealSignDependencies, settings: SealSettings = loadSealSettings()): ApiHandler {
  const seals = sealRepository(deps.tables);
  const trust = trustStoreLoader({ authorities: sealAuthorityRepository(deps.tables), configuredAnchors: settings.trustAnchors, clock: deps.clock, cacheSeconds: settings.cacheSeconds });

  return createApiHandler(sealSignFunction, sealSignSchemas, deps, {
    signWithSeal: async ({ params, body, principal, sourceIp, requestId }) => {
      const { signature, signedAt } = await signWithSeal(
        { seals, vault: deps.vault, clock: deps.clock },
        {
          caller: { principal: principal!, sourceIp, requestId },
          sealId: params.id,
          request: {
            ...(body.document !== undefined ? { document: bytes(body.document) } : {}),
            ...(body.documentHash ? { documentHash: Uint8Array.from(Buffer.from(body.documentHash, 'hex')) } : {}),
            ...(body.hashAlgorithm ? { hashAlgorithm: body.hashAlgorithm } : {}),
            propertyInfo: body.propertyInfo,
          },
        },
      );
      return { body: { signature: Buffer.from(signature).toString('base64'), signedAt: signedAt.toISOString() } };
    },
    verifySealSignature: async ({ body }) => ({
      body: await verifySealSignature(
        { trust: trust.load, seals, clock: deps.clock },
        {
          signature: bytes(body.signature),
          ...(body.document !== undefined ? { document: bytes(body.document) } : {}),
          ...(body.documentHash ? { documentHash: Uint8Array.from(Buffer.from(body.documentHash, 'hex')) } : {}),
        },
      ),
    }),
  });
}

const bytes = (base64Text: string) => Uint8Array.from(Buffer.from(base64Text, 'base64'));
