import { signatureAlgorithmOid, type PublicKey } from '../crypto/signature-algorithms.js';
import { invalidField } from '../errors.js';
import { SEAL_TYPE_CODES, type SealPictureInput, type SealType } from './seal.js';
import { issueOwnerCertificate, type SealAuthority } from './seal-authority.js';
import { assembleSeal, encodeSealInfo } from './ses-seal.js';

export interface SealVersionInput {
  readonly esID: string;
  readonly type: SealType;
  readonly name: string;
  readonly ownerName: string;
  readonly ownerUscc: string;
  readonly picture: SealPictureInput;
  readonly validFrom: Date;
  readonly validTo: Date;
  /** the seal's signing key */
  readonly publicKey: PublicKey;
  readonly vendorId: string;
  readonly now: Date;
}

/**
 * Makes one version of a platform seal.
 * 1. the seal's validity must end within the maker certificate's;
 * 2. the maker certifies the seal's key for the owner, valid exactly as long as the seal;
 * 3. SES_SealInfo v4: header ES/4/vendor, esID, type code, name, certList of the owner
 *    certificate, create date, validity, the PNG picture with its size in millimetres;
 * 4. the maker signs DER(SES_SealInfo) through the vault and the SESeal is put together.
 */
export async function makeSealVersion(authority: SealAuthority, input: SealVersionInput): Promise<{ certificate: Uint8Array; esl: Uint8Array }> {
  assertWithinMaker(authority, input.validTo);
  const certificate = await issueOwnerCertificate(authority, {
    publicKey: input.publicKey,
    ownerName: input.ownerName,
    ownerUscc: input.ownerUscc,
    sealName: input.name,
    notBefore: input.validFrom,
    notAfter: input.validTo,
  });
  const sealInfo = encodeSealInfo(
    {
      header: { id: 'ES', version: 4, vendorId: input.vendorId },
      esID: input.esID,
      property: {
        type: SEAL_TYPE_CODES[input.type],
        name: input.name,
        certList: { kind: 'certs', certificates: [certificate] },
        createDate: wholeSeconds(input.now),
        validStart: wholeSeconds(input.validFrom),
        validEnd: wholeSeconds(input.validTo),
      },
      picture: { type: 'png', data: input.picture.png, widthMm: input.picture.widthMm, heightMm: input.picture.heightMm },
      extensions: [],
    },
    4,
  );
  const algorithmOid = signatureAlgorithmOid(authority.makerSigner.publicKey.algorithm);
  const signature = await authority.makerSigner.sign(sealInfo);
  return { certificate, esl: assembleSeal(4, sealInfo, authority.record.makerCertificate, algorithmOid, signature) };
}

/** a seal cannot outlive the maker certificate that vouches for it */
export function assertWithinMaker(authority: SealAuthority, validTo: Date): void {
  if (validTo > authority.maker.notAfter) {
    throw invalidField('validTo', `must not be after ${authority.maker.notAfter.toISOString()}, when the seal maker's certificate ends`);
  }
}

/** GB/T 38540 producers write times to the second; certificates must */
export const wholeSeconds = (date: Date) => new Date(Math.floor(date.getTime() / 1000) * 1000);

/** the seal code: the owner's registration region (USCC digits 3–8) and an 8-digit serial of that region */
export const esIdOf = (ownerUscc: string, serial: number) => `${ownerUscc.slice(2, 8)}${String(serial).padStart(8, '0')}`;
