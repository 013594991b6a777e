import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { conflict, notFound } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { KeyVault } from '../ports/key-vault.js';
import type { Tables } from '../ports/tables.js';
import { keySpecOf, readPublicKey, vaultSigner, type MessageSigner, type PublicKey, type SignatureAlgorithm } from '../crypto/signature-algorithms.js';
import { issueCertificate, parseCertificate, type Certificate, type NameInput } from '../crypto/x509.js';
import { writtenIfCondition } from '../tables/conditional-write.js';

/**
 * The platform's seal CA (GB/T 39047 §6.3.3 a): a root and a seal-maker certificate whose keys
 * live in the vault (KMS in AWS). The maker signs every SESeal and issues the seal owners'
 * certificates; the root only certifies the maker. Both are published as the trust list.
 *
 * The keys are created at run time through the vault by the seal-admin function (its
 * `runtimeSigningKeys: 'manage'` grant), so only that function may use them, and their ids are
 * kept in the CA record beside the certificates. Locally the runtime creates the CA on first
 * start; in AWS an operator initialises it once with `POST /v1/seal-authority` (README).
 */

export interface SealAuthorityRecord {
  readonly algorithm: SignatureAlgorithm;
  readonly name: string;
  readonly rootKeyId: string;
  readonly makerKeyId: string;
  readonly rootCertificate: Uint8Array;
  readonly makerCertificate: Uint8Array;
  readonly createdAt: string;
}

/** Another platform's seal CA, trusted for verification. */
export interface TrustAnchorRecord {
  /** hex SHA-256 of the certificate */
  readonly fingerprint: string;
  readonly certificate: Uint8Array;
  readonly subject: string;
  readonly addedAt: string;
  readonly addedBy: string;
}

const authorityKey = { pk: 'AUTHORITY', sk: 'AUTHORITY' };
const anchorKey = (fingerprint: string) => ({ pk: `ANCHOR#${fingerprint}`, sk: 'ANCHOR' });
const ANCHOR_LIST = 'TRUST_ANCHORS';

/** The CA record and the registered trust anchors in the seals table. */
export function sealAuthorityRepository(tables: Tables) {
  const TableName = tables.name('seals');
  return {
    async get(): Promise<SealAuthorityRecord | undefined> {
      const { Item } = await tables.client.send(new GetCommand({ TableName, Key: authorityKey, ConsistentRead: true }));
      if (!Item) return undefined;
      const { pk: _pk, sk: _sk, entity: _entity, ...record } = Item;
      return record as SealAuthorityRecord;
    },

    /** false when a CA exists already (the first one stays) */
    async create(record: SealAuthorityRecord): Promise<boolean> {
      return writtenIfCondition(tables.client.send(new PutCommand({ TableName, Item: { ...authorityKey, entity: 'authority', ...record }, ConditionExpression: 'attribute_not_exists(pk)' })));
    },

    async addAnchor(anchor: TrustAnchorRecord): Promise<void> {
      const written = await writtenIfCondition(
        tables.client.send(
          new PutCommand({
            TableName,
            Item: { ...anchorKey(anchor.fingerprint), entity: 'anchor', gsi1pk: ANCHOR_LIST, gsi1sk: anchor.fingerprint, ...anchor },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
      if (!written) throw conflict('This trust anchor is registered already', 'anchor_exists');
    },

    async listAnchors(): Promise<TrustAnchorRecord[]> {
      const anchors: TrustAnchorRecord[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const page = await tables.client.send(
          new QueryCommand({ TableName, IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :list', ExpressionAttributeValues: { ':list': ANCHOR_LIST }, ExclusiveStartKey: start }),
        );
        for (const { fingerprint, certificate, subject, addedAt, addedBy } of page.Items ?? []) anchors.push({ fingerprint, certificate, subject, addedAt, addedBy });
        start = page.LastEvaluatedKey;
      } while (start);
      return anchors;
    },
  };
}

export type SealAuthorityRepository = ReturnType<typeof sealAuthorityRepository>;

const YEAR_MS = 365.25 * 24 * 3600 * 1000;
const ROOT_YEARS = 20;
const MAKER_YEARS = 10;

/**
 * Creates the seal CA once.
 * 1. refuse when the CA exists (409);
 * 2. create the root and maker keys in the vault;
 * 3. self-sign the root certificate (CA, keyCertSign and cRLSign, 20 years);
 * 4. the root certifies the maker (CA with path length 0: it signs seals and issues owner
 *    certificates, 10 years);
 * 5. store the record; if a concurrent start stored one first, retire the new keys and keep the first.
 */
export async function initialiseSealAuthority(
  deps: { vault: KeyVault; authorities: SealAuthorityRepository; clock: Clock },
  input: { algorithm: SignatureAlgorithm; name: string },
): Promise<SealAuthorityRecord> {
  if (await deps.authorities.get()) throw conflict('The seal authority is initialised already', 'authority_exists');
  const now = deps.clock.now();
  const spec = keySpecOf(input.algorithm);
  const rootKey = await deps.vault.createSigningKey({ spec, description: `${input.name}: seal CA root` });
  const makerKey = await deps.vault.createSigningKey({ spec, description: `${input.name}: seal maker` });
  const rootSigner = vaultSigner(deps.vault, rootKey.keyId, readPublicKey((await deps.vault.getPublicKey(rootKey.keyId)).spki));
  const makerPublicKey = readPublicKey((await deps.vault.getPublicKey(makerKey.keyId)).spki);
  const rootCertificate = await issueCertificate(
    { subject: authorityName(input.name, '电子印章根证书'), subjectPublicKey: rootSigner.publicKey, notBefore: now, notAfter: new Date(now.getTime() + ROOT_YEARS * YEAR_MS), ca: true, keyUsage: ['keyCertSign', 'cRLSign'] },
    { signer: rootSigner },
  );
  const makerCertificate = await issueCertificate(
    {
      subject: authorityName(input.name, '电子印章制章系统'),
      subjectPublicKey: makerPublicKey,
      notBefore: now,
      notAfter: new Date(now.getTime() + MAKER_YEARS * YEAR_MS),
      ca: true,
      pathLength: 0,
      keyUsage: ['digitalSignature', 'nonRepudiation', 'keyCertSign', 'cRLSign'],
    },
    { signer: rootSigner, certificate: parseCertificate(rootCertificate) },
  );
  const record: SealAuthorityRecord = {
    algorithm: input.algorithm,
    name: input.name,
    rootKeyId: rootKey.keyId,
    makerKeyId: makerKey.keyId,
    rootCertificate,
    makerCertificate,
    createdAt: now.toISOString(),
  };
  if (await deps.authorities.create(record)) return record;
  await Promise.all([rootKey.keyId, makerKey.keyId].map((keyId) => retireKey(deps.vault, keyId)));
  throw conflict('The seal authority is initialised already', 'authority_exists');
}

const authorityName = (name: string, role: string): NameInput => ({ C: 'CN', O: name, CN: `${name}${role}` });

/** days a retired key waits for deletion: the longest window KMS allows, so a mistaken cancel can still be undone */
const KEY_DELETION_DAYS = 30;

/** Disables a key at once (it can never sign again) and schedules its deletion. */
export async function retireKey(vault: KeyVault, keyId: string): Promise<void> {
  await vault.disableKey(keyId);
  await vault.scheduleKeyDeletion(keyId, KEY_DELETION_DAYS);
}

/** The seal CA at work: its certificates and the maker's signer. */
export interface SealAuthority {
  readonly record: SealAuthorityRecord;
  readonly root: Certificate;
  readonly maker: Certificate;
  readonly makerSigner: MessageSigner;
}

/** Loads the CA (404 when it was never initialised); the record never changes, so callers keep it. */
export async function loadSealAuthority(deps: { vault: KeyVault; authorities: SealAuthorityRepository }): Promise<SealAuthority> {
  const record = await deps.authorities.get();
  if (!record) throw notFound('The seal authority is not initialised yet', 'authority_not_initialised');
  const maker = parseCertificate(record.makerCertificate);
  return { record, root: parseCertificate(record.rootCertificate), maker, makerSigner: vaultSigner(deps.vault, record.makerKeyId, maker.publicKey!) };
}

/** A loader that keeps the CA once found (it never changes) and asks again while it is missing. */
export function cachedSealAuthority(deps: { vault: KeyVault; authorities: SealAuthorityRepository }): () => Promise<SealAuthority> {
  let loaded: Promise<SealAuthority> | undefined;
  return () => {
    loaded ??= loadSealAuthority(deps).catch((error: unknown) => {
      loaded = undefined;
      throw error;
    });
    return loaded;
  };
}

export interface OwnerCertificateRequest {
  readonly publicKey: PublicKey;
  readonly ownerName: string;
  readonly ownerUscc: string;
  readonly sealName: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

/** The maker certifies a seal's signing key for its owner: subject C, O (owner), serialNumber (USCC), CN (seal name). */
export function issueOwnerCertificate(authority: SealAuthority, request: OwnerCertificateRequest): Promise<Uint8Array> {
  return issueCertificate(
    {
      subject: { C: 'CN', O: request.ownerName, serialNumber: request.ownerUscc, CN: request.sealName },
      subjectPublicKey: request.publicKey,
      notBefore: request.notBefore,
      notAfter: request.notAfter,
      ca: false,
      keyUsage: ['digitalSignature', 'nonRepudiation'],
    },
    { signer: authority.makerSigner, certificate: authority.maker },
  );
}
