import { ulid } from 'ulid';
import type { Principal } from '../auth/principal.js';
import { forbidden, invalidField, notFound } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { PersonalDataProtector } from '../privacy/personal-data.js';
import type { CallerHolder } from './certificate-holder.js';
import { authorizeCertificateRead, type CertificateAccessDependencies, type CertificateReader, type ReaderRole } from './certificate-access.js';
import { effectiveStatus, type CertificateMetadata, type CertificateRecord, type CertificateStatus, type HolderCodeType, type UsageEntry, type UsageGrant } from './certificate-model.js';

export interface CertificateReadDependencies extends CertificateAccessDependencies {
  readonly personalData: Pick<PersonalDataProtector, 'open' | 'lookupHash'>;
}

/** GB/T 36903 metadata as a reader sees it; the holder's code is in clear only for the holder */
export interface CertificateView extends CertificateMetadata {
  readonly holderCode: string;
  readonly status: CertificateStatus;
  readonly statusReason?: string;
  readonly version: number;
  readonly surface: Readonly<Record<string, unknown>>;
  readonly caseNo?: string;
  /** where it came from: issued here, or received from another platform through data exchange */
  readonly source: string;
}

export async function certificateView(deps: Pick<CertificateReadDependencies, 'personalData' | 'clock'>, record: CertificateRecord, role: ReaderRole): Promise<CertificateView> {
  return {
    identifier: record.identifier,
    typeCode: record.typeCode,
    name: record.name,
    holderName: record.holderName,
    holderCodeType: record.holderCodeType,
    holderCode: role === 'holder' ? await deps.personalData.open(record.holderCodeSealed) : record.holderCodeMasked,
    issuerName: record.issuerName,
    issuerUscc: record.issuerUscc,
    issueDate: record.issueDate,
    validFrom: record.validFrom,
    ...(record.validUntil ? { validUntil: record.validUntil } : {}),
    status: effectiveStatus(record, deps.clock.now()),
    ...(record.statusReason ? { statusReason: record.statusReason } : {}),
    version: record.version,
    surface: record.surface,
    ...(record.caseNo && role !== 'relying' ? { caseNo: record.caseNo } : {}),
    source: 'local',
  };
}

async function existing(deps: CertificateReadDependencies, identifier: string): Promise<CertificateRecord> {
  const record = await deps.certificates.get(identifier);
  if (!record) throw notFound('No such certificate', 'certificate_not_found');
  return record;
}

/** GET /v1/certificates/{identifier}: the metadata, for the holder, the issuer or a relying agency with a grant (logged). */
export async function getCertificate(deps: CertificateReadDependencies, reader: CertificateReader, identifier: string): Promise<CertificateView> {
  const record = await existing(deps, identifier);
  return certificateView(deps, record, await authorizeCertificateRead(deps, reader, record, 'metadata'));
}

/** GET /v1/certificates/{identifier}/file: the sealed file (the JSON document and its SES_Signature), on the same terms. */
export async function getCertificateFile(deps: CertificateReadDependencies, reader: CertificateReader, identifier: string): Promise<{ document: string; signature: string }> {
  const record = await existing(deps, identifier);
  await authorizeCertificateRead(deps, reader, record, 'file');
  return { document: await deps.personalData.open(record.fileSealed), signature: record.signature };
}

/**
 * GET /v1/certificates?holderCode=&typeCode=: a holder's certificates by their code.
 * 1. the code is found by its lookup hash;
 * 2. each certificate is authorised as a single read: the holder sees all of theirs; a relying
 *    agency only those it holds a grant for, each read logged; refused when it may read none (403).
 */
export async function queryCertificates(deps: CertificateReadDependencies, reader: CertificateReader, query: { holderCodeType: HolderCodeType; holderCode: string; typeCode?: string }): Promise<CertificateView[]> {
  const lookup = await deps.personalData.lookupHash(query.holderCodeType, query.holderCode);
  const records = (await deps.certificates.listByHolder(lookup)).filter((record) => !query.typeCode || record.typeCode === query.typeCode);
  const views: CertificateView[] = [];
  let refusal: unknown;
  for (const record of records) {
    try {
      views.push(await certificateView(deps, record, await authorizeCertificateRead(deps, reader, record, 'query')));
    } catch (error) {
      refusal = error;
    }
  }
  if (views.length === 0 && refusal) throw refusal;
  return views;
}

/** a certificate the holder received from another platform through data exchange */
export interface ExchangedCertificateSource {
  forHolder(holder: CallerHolder): Promise<CertificateView[]>;
}

/**
 * GET /v1/me/wallet: the caller's card wallet (GB/T 39047 6.1.10 g).
 * 1. the caller's ID number (people) or USCC (organisations) from their account;
 * 2. their certificates issued here and those that arrived through data exchange;
 * 3. only valid ones unless the history is asked for; grouped by type, newest first.
 */
export async function getWallet(
  deps: CertificateReadDependencies & { exchanged: ExchangedCertificateSource },
  input: { principal: Principal; includeHistory: boolean },
): Promise<{ types: { typeCode: string; name: string; certificates: CertificateView[] }[] }> {
  const holder = await deps.holderOf(input.principal);
  if (!holder) throw forbidden('The wallet is for people and organisations with an ID number or USCC', 'no_wallet');
  const local = await Promise.all((await deps.certificates.listByHolder(holder.lookup)).map((record) => certificateView(deps, record, 'holder')));
  const all = [...local, ...(await deps.exchanged.forHolder(holder))]
    .filter((view) => input.includeHistory || view.status === 'valid')
    .sort((a, b) => (a.issueDate < b.issueDate ? 1 : a.issueDate > b.issueDate ? -1 : 0));
  const groups = new Map<string, { typeCode: string; name: string; certificates: CertificateView[] }>();
  for (const view of all) {
    const group = groups.get(view.typeCode) ?? { typeCode: view.typeCode, name: view.name, certificates: [] };
    group.certificates.push(view);
    groups.set(view.typeCode, group);
  }
  return { types: [...groups.values()] };
}

async function ownCertificate(deps: CertificateReadDependencies, principal: Principal, identifier: string): Promise<CertificateRecord> {
  const record = await existing(deps, identifier);
  if ((await deps.holderOf(principal))?.lookup !== record.holderLookup) throw notFound('No such certificate of yours', 'certificate_not_found');
  return record;
}

/** POST /v1/certificates/{identifier}/usage-grants: the holder lets an agency (for one case, if named) read the certificate until a moment. */
export async function grantCertificateUse(
  deps: CertificateReadDependencies & { clock: Clock },
  input: { principal: Principal; identifier: string; agency: string; caseNo?: string; validUntil: string },
): Promise<UsageGrant> {
  await ownCertificate(deps, input.principal, input.identifier);
  const now = deps.clock.now();
  if (input.validUntil <= now.toISOString()) throw invalidField('validUntil', 'must be in the future');
  const grant: UsageGrant = {
    grantId: ulid(now.getTime()),
    identifier: input.identifier,
    agency: input.agency,
    ...(input.caseNo ? { caseNo: input.caseNo } : {}),
    validUntil: input.validUntil,
    grantedAt: now.toISOString(),
  };
  await deps.certificates.putGrant(grant);
  return grant;
}

/** DELETE /v1/certificates/{identifier}/usage-grants/{grantId}: the holder withdraws a grant at once. */
export async function revokeCertificateUse(deps: CertificateReadDependencies, input: { principal: Principal; identifier: string; grantId: string }): Promise<{ grantId: string; revokedAt: string }> {
  await ownCertificate(deps, input.principal, input.identifier);
  const now = deps.clock.now();
  if (!(await deps.certificates.revokeGrant(input.identifier, input.grantId, now))) throw notFound('No such active grant', 'grant_not_found');
  return { grantId: input.grantId, revokedAt: now.toISOString() };
}

/** GET /v1/certificates/{identifier}/usage-log: the holder sees the grants and every use and refused use by third parties. */
export async function getUsageLog(deps: CertificateReadDependencies, input: { principal: Principal; identifier: string }): Promise<{ grants: UsageGrant[]; uses: UsageEntry[] }> {
  await ownCertificate(deps, input.principal, input.identifier);
  const [grants, uses] = await Promise.all([deps.certificates.grants(input.identifier), deps.certificates.usageLog(input.identifier)]);
  return { grants, uses };
}
