import type { Logger } from '@aws-lambda-powertools/logger';
import type { Principal } from '../auth/principal.js';
import { residentIdProblem } from '../codes/resident-id.js';
import { usccProblem } from '../codes/uscc.js';
import { conflict, forbidden, invalidField, notFound } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { KeyVault } from '../ports/key-vault.js';
import type { QueuePublisher } from '../ports/queue.js';
import type { PersonalDataProtector } from '../privacy/personal-data.js';
import type { SealRepository } from '../seals/seal-repository.js';
import { signWithSeal } from '../seals/sign-with-seal.js';
import { certificateFileBytes, sha256Hex, type CertificateDocument } from './certificate-file.js';
import { certificateIdentifier, parseCertificateIdentifier } from './certificate-identifier.js';
import type { CertificateRecord, CertificateType, HolderCodeType } from './certificate-model.js';
import type { CertificateIssuedMessage } from './certificate-event-message.js';
import type { CertificateRepository } from './certificate-repository.js';
import { holderCodeMask } from './certificate-holder.js';

export interface IssueCertificateRequest {
  readonly typeCode: string;
  readonly holder: { readonly name: string; readonly codeType: HolderCodeType; readonly code: string };
  readonly surface: Readonly<Record<string, unknown>>;
  /** YYYY-MM-DD */
  readonly validFrom: string;
  readonly validUntil?: string;
  readonly caseNo?: string;
  /** the certificate this one is a new version of */
  readonly previousIdentifier?: string;
}

export interface IssueCertificateDependencies {
  readonly certificates: CertificateRepository;
  readonly seals: SealRepository;
  readonly vault: KeyVault;
  readonly personalData: Pick<PersonalDataProtector, 'seal' | 'lookupHash'>;
  readonly clock: Clock;
  readonly queues: QueuePublisher;
  readonly logger: Pick<Logger, 'warn'>;
}

/** who issues: staff of an agency (checked against the type's issuer), or the case hook acting for the issuer */
export type Issuer = { readonly staff: Principal } | { readonly system: string };

/**
 * Issues an electronic certificate (GB/T 39047 6.3.4, GB/T 36903/36904).
 * 1. the type must exist (404) and staff must belong to its issuer (403);
 * 2. the holder's code must suit the type's holder type and be valid; the surface must hold the
 *    type's required fields (422);
 * 3. a new version takes the serial of the certificate it supersedes, which must be the holder's,
 *    of the same type and valid (409); otherwise the issuer's next serial of the type;
 * 4. the identifier with its MOD 37,36 check character; the file (JSON) sealed with the issuer's
 *    seal (GB/T 38540 SES_Signature over its hash);
 * 5. stored with the holder's code sealed, hashed for lookup and masked; the previous version
 *    becomes superseded;
 * 6. the holder is told in their inbox (certificate-events, consumed by user-center). The message
 *    is a courtesy: the certificate stands and shows in the wallet even when sending it failed
 *    (logged), as failing the issuance would make a retry issue it twice.
 */
export async function issueCertificate(deps: IssueCertificateDependencies, input: { issuer: Issuer; request: IssueCertificateRequest }): Promise<CertificateRecord> {
  const { request } = input;
  const type = await deps.certificates.getType(request.typeCode);
  if (!type) throw notFound('No such certificate type', 'certificate_type_not_found');
  if ('staff' in input.issuer && input.issuer.staff.agency !== type.issuerUscc) throw forbidden('Only staff of the issuing agency may issue this certificate', 'not_issuer');
  checkHolder(type, request.holder);
  checkSurface(type, request.surface);
  const validUntil = request.validUntil ?? (type.validityYears ? addYears(request.validFrom, type.validityYears) : undefined);
  if (validUntil && validUntil < request.validFrom) throw invalidField('validUntil', 'must not be before validFrom');

  const holderLookup = await deps.personalData.lookupHash(request.holder.codeType, request.holder.code);
  const { serial, version, previous } = await numbering(deps, type, request, holderLookup);
  const now = deps.clock.now();
  const identifier = certificateIdentifier({ typeCode: type.typeCode, issuerUscc: type.issuerUscc, serial, version });
  const seal = await deps.seals.get(type.sealId);
  if (!seal?.ownerAccountId || seal.ownerUscc !== type.issuerUscc) throw conflict('The type names no seal of its issuer', 'issuer_seal_missing');
  const document: CertificateDocument = {
    schema: 'e-certificate/1',
    identifier,
    typeCode: type.typeCode,
    name: type.name,
    holderName: request.holder.name,
    holderCodeType: request.holder.codeType,
    holderCode: request.holder.code,
    issuerName: seal.ownerName,
    issuerUscc: type.issuerUscc,
    issueDate: now.toISOString().slice(0, 10),
    validFrom: request.validFrom,
    ...(validUntil ? { validUntil } : {}),
    surface: { ...request.surface },
  };
  const bytes = certificateFileBytes(document);
  const { signature } = await signWithSeal(
    { seals: deps.seals, vault: deps.vault, clock: deps.clock },
    { caller: { principal: issuerPrincipal(seal.ownerAccountId, input.issuer) }, sealId: seal.sealId, request: { document: bytes, propertyInfo: `e-certificate:${identifier}` } },
  );
  const record: CertificateRecord = {
    identifier,
    typeCode: type.typeCode,
    name: type.name,
    holderName: request.holder.name,
    holderCodeType: request.holder.codeType,
    holderCodeSealed: await deps.personalData.seal(request.holder.code),
    holderCodeMasked: holderCodeMask(request.holder.code),
    holderLookup,
    issuerName: seal.ownerName,
    issuerUscc: type.issuerUscc,
    issueDate: document.issueDate,
    validFrom: request.validFrom,
    ...(validUntil ? { validUntil } : {}),
    status: 'valid',
    serial,
    version,
    surface: document.surface,
    ...(request.caseNo ? { caseNo: request.caseNo } : {}),
    fileSealed: await deps.personalData.seal(bytes.toString('base64')),
    fileSha256: sha256Hex(bytes),
    signature: Buffer.from(signature).toString('base64'),
    esID: seal.esID!,
    issuedAt: now.toISOString(),
  };
  await deps.certificates.put(record);
  if (previous) await deps.certificates.changeStatus(previous, 'superseded', `superseded by ${identifier}`, now);
  await announceToHolder(deps, record);
  return record;
}

async function announceToHolder(deps: Pick<IssueCertificateDependencies, 'queues' | 'logger'>, record: CertificateRecord): Promise<void> {
  const { identifier, typeCode, name, issuerName, holderCodeType, holderLookup, issuedAt } = record;
  const message: CertificateIssuedMessage = { identifier, typeCode, name, issuerName, holderCodeType, holderLookup, issuedAt };
  try {
    await deps.queues.send('certificate-events', [{ body: message }]);
  } catch (error) {
    deps.logger.warn('certificate issued without telling its holder', { identifier, error: (error as Error).message });
  }
}

async function numbering(deps: IssueCertificateDependencies, type: CertificateType, request: IssueCertificateRequest, holderLookup: string) {
  if (!request.previousIdentifier) return { serial: await deps.certificates.nextSerial(type.typeCode, type.issuerUscc), version: 1 };
  const previous = parseCertificateIdentifier(request.previousIdentifier) ? await deps.certificates.get(request.previousIdentifier) : undefined;
  if (!previous || previous.typeCode !== type.typeCode || previous.holderLookup !== holderLookup) throw invalidField('previousIdentifier', 'is not a certificate of this type and holder');
  if (previous.status !== 'valid') throw conflict(`The previous version is ${previous.status}`, 'previous_not_valid');
  return { serial: previous.serial, version: previous.version + 1, previous: previous.identifier };
}

/** the seal signs for its owner organisation; the audit names the staff member or the system */
function issuerPrincipal(ownerAccountId: string, issuer: Issuer): Principal {
  const actor = 'staff' in issuer ? issuer.staff.sub : issuer.system;
  return { sub: ownerAccountId, subjectType: 'legal', level: 3, roles: [], amr: [], actor: { sub: actor }, delegation: { id: 'certificate-issuance', itemCodes: [], scope: ['seals:use'] } };
}

function checkHolder(type: CertificateType, holder: IssueCertificateRequest['holder']): void {
  const expected = type.holderType === 'natural' ? 'resident-id' : 'uscc';
  if (holder.codeType !== expected) throw invalidField('holder.codeType', `certificates of this type are held by ${type.holderType} persons (${expected})`);
  const problem = holder.codeType === 'uscc' ? usccProblem(holder.code) : residentIdProblem(holder.code);
  if (problem) throw invalidField('holder.code', problem);
}

function checkSurface(type: CertificateType, surface: Readonly<Record<string, unknown>>): void {
  for (const field of type.fields) {
    const value = surface[field.name];
    if (value === undefined || value === '') {
      if (field.required) throw invalidField(`surface.${field.name}`, 'is required by the certificate type');
      continue;
    }
    const fits = field.type === 'number' ? typeof value === 'number' : typeof value === 'string' && (field.type !== 'date' || /^\d{4}-\d{2}-\d{2}$/.test(value));
    if (!fits) throw invalidField(`surface.${field.name}`, `must be a ${field.type}`);
  }
}

function addYears(date: string, years: number): string {
  const [year, rest] = [Number(date.slice(0, 4)), date.slice(4)];
  return `${String(year + years).padStart(4, '0')}${rest}`;
}
