import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tables as manifestTables } from '../infra/manifest.js';
import { startEmbeddedDynamo } from '../shared/adapters/local/embedded-dynamo.js';
import { ensureTables } from '../shared/adapters/local/ensure-tables.js';
import { createLocalKeyVault } from '../shared/adapters/local/local-key-vault.js';
import { localTables } from '../shared/adapters/local/local-tables.js';
import type { Principal } from '../shared/auth/principal.js';
import type { SignatureAlgorithm } from '../shared/crypto/signature-algorithms.js';
import { systemClock } from '../shared/ports/clock.js';
import { actOnSeal } from '../shared/seals/act-on-seal.js';
import { applyForSeal } from '../shared/seals/apply-for-seal.js';
import type { Seal } from '../shared/seals/seal.js';
import { cachedSealAuthority, initialiseSealAuthority, sealAuthorityRepository } from '../shared/seals/seal-authority.js';
import { sealRepository, type SealRepository } from '../shared/seals/seal-repository.js';
import { signWithSeal } from '../shared/seals/sign-with-seal.js';
import { trustStoreLoader } from '../shared/seals/trust-store.js';
import { verifySealSignature } from '../shared/seals/verify-seal-signature.js';

const SECONDS = 3;
/** the default KMS quota for ECC and SM2 Sign requests, per account and region, shared by every caller */
const KMS_SIGN_QUOTA_PER_SECOND = 1000;
const USCC = '91330106MA2B3C4D5D';
const owner: Principal = { sub: 'bench-org', subjectType: 'legal', level: 3, roles: [], amr: ['pwd'] };
const staff: Principal = { sub: 'bench-staff', subjectType: 'staff', level: 3, roles: ['seal-authority'], agency: 'seal-authority', amr: ['pwd'] };

/**
 * Seal figures against the local vault, on one core of this machine:
 * 1. signatures per second, SM2 and P-256: the signing use case (TBS_Sign with the seal, the
 *    digest computed here, the vault signing the digest, SES_Signature) with the seal record in
 *    memory, so the figure is the crypto and vault path, not the embedded table;
 * 2. verifications per second: all eight checks (signer signature, maker signature over the seal,
 *    both certificate chains to the root, status lookup in memory, SM3/SHA-256 of a 4 KB document);
 * 3. what the shared KMS Sign quota means in AWS.
 */
export async function sealBenchmark(): Promise<void> {
  console.log('\n== Seals: signatures and verifications against the local vault ==');
  const dataDir = await mkdtemp(join(tmpdir(), 'gsp-bench-seals-'));
  const dynamo = await startEmbeddedDynamo({});
  try {
    const tables = localTables(dynamo.documentClient, 'bench-');
    await ensureTables(dynamo.client, [{ tableName: tables.name('seals'), spec: manifestTables.seals }]);
    const vault = createLocalKeyVault({ dir: dataDir });
    const authorities = sealAuthorityRepository(tables);
    await initialiseSealAuthority({ vault, authorities, clock: systemClock }, { algorithm: 'SM2', name: '基准测试电子印章中心' });
    const trust = trustStoreLoader({ authorities, configuredAnchors: [], clock: systemClock, cacheSeconds: 3600 });
    const document = new Uint8Array(4096).fill(7);
    const rates: Record<string, { sign: number; verify: number }> = {};

    for (const algorithm of ['SM2', 'P-256'] as const) {
      const seal = await makeSeal(tables, vault, authorities, algorithm);
      const inMemory = { get: async () => seal, recordUse: async () => undefined, findByEsId: async () => seal } as unknown as SealRepository;
      const sign = () => signWithSeal({ seals: inMemory, vault, clock: systemClock }, { caller: { principal: owner }, sealId: seal.sealId, request: { document, propertyInfo: 'bench.ofd' } });
      const { signature } = await sign();
      const verification = { trust: trust.load, seals: inMemory, clock: systemClock };
      const report = await verifySealSignature(verification, { signature, document });
      if (!report.valid) throw new Error(`the ${algorithm} benchmark signature does not verify: ${JSON.stringify(report.checks)}`);
      rates[algorithm] = { sign: await perSecond(sign), verify: await perSecond(() => verifySealSignature(verification, { signature, document })) };
      console.log(`${algorithm.padEnd(6)} signatures ${rates[algorithm]!.sign.toFixed(0).padStart(6)}/s   verifications ${rates[algorithm]!.verify.toFixed(0).padStart(6)}/s   (one core, sequential)`);
    }

    console.log(`\nKMS in AWS: each signature is exactly one KMS Sign (MessageType DIGEST; the public key comes from the seal's certificate,`);
    console.log(`the key spec is described once per key and container). The default quota of about ${KMS_SIGN_QUOTA_PER_SECOND} ECC/SM2 Sign requests/s`);
    console.log('per account and region is shared with access-token signing at login and the status-list pages, so seal signing');
    console.log(`tops out below ${KMS_SIGN_QUOTA_PER_SECOND}/s for the whole deployment however many Lambdas run: the quota, not compute, is the ceiling`);
    console.log(`(one core signs ${Math.round(Math.min(rates.SM2!.sign, rates['P-256']!.sign))}/s here). Beyond it KMS throttles (ThrottlingException → 503 to the caller); raise the`);
    console.log('quota with AWS, or give seal signing its own account. Verification makes no KMS call at all and scales with Lambda');
    console.log(`concurrency: about ${Math.round(Math.min(rates.SM2!.verify, rates['P-256']!.verify))}/s per vCPU at these rates.`);
  } finally {
    await dynamo.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function makeSeal(tables: ReturnType<typeof localTables>, vault: ReturnType<typeof createLocalKeyVault>, authorities: ReturnType<typeof sealAuthorityRepository>, algorithm: SignatureAlgorithm): Promise<Seal> {
  const seals = sealRepository(tables);
  const now = systemClock.now();
  const applied = await applyForSeal(
    { seals, organisations: { findByUscc: async () => ({ accountId: owner.sub, name: '示例科技有限公司' }) }, settings: { algorithms: [algorithm] }, clock: systemClock },
    {
      caller: { principal: owner },
      application: {
        ownerUscc: USCC,
        type: 'contract',
        name: `${algorithm} 合同专用章`,
        picture: { png: PNG_1x1, widthMm: 40, heightMm: 40 },
        validFrom: now,
        validTo: new Date(now.getTime() + 365 * 24 * 3600 * 1000),
        algorithm,
      },
    },
  );
  const authority = cachedSealAuthority({ vault, authorities });
  return actOnSeal({ seals, vault, authority, settings: { vendorId: 'BENCH' }, clock: systemClock }, { caller: { principal: staff }, sealId: applied.sealId, request: { action: 'make' } });
}

/** calls per second over SECONDS, after a warm-up */
async function perSecond(call: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 20; i++) await call();
  let count = 0;
  const started = performance.now();
  const until = started + SECONDS * 1000;
  while (performance.now() < until) {
    await call();
    count++;
  }
  return count / ((performance.now() - started) / 1000);
}

/** a 1×1 transparent PNG: the picture's size does not change the signing cost, which hashes the TBS_Sign once */
const PNG_1x1 = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64'));
