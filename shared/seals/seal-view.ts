import { publishedStatus, type PublishedStatus, type Seal, type SealStatus, type StatusChange } from './seal.js';

/** A seal as the API shows it to its owner and the seal authority: no key id, no picture bytes. */
export interface SealView {
  readonly sealId: string;
  readonly source: Seal['source'];
  readonly status: SealStatus;
  /** what the status list says of it (absent while applied) */
  readonly publishedStatus?: PublishedStatus;
  readonly ownerUscc: string;
  readonly ownerName: string;
  readonly type: Seal['type'];
  readonly name: string;
  readonly algorithm: Seal['algorithm'];
  readonly validFrom: string;
  readonly validTo: string;
  readonly esID?: string;
  readonly sealVersion: number;
  /** base64 DER of the owner's signing certificate */
  readonly certificate?: string;
  readonly picture?: { readonly widthMm: number; readonly heightMm: number };
  readonly replaces?: string;
  readonly replacedBy?: string;
  readonly statusHistory: readonly StatusChange[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

export function sealView(seal: Seal, now: Date): SealView {
  const published = publishedStatus(seal, now);
  return {
    sealId: seal.sealId,
    source: seal.source,
    status: seal.status,
    ...(published ? { publishedStatus: published } : {}),
    ownerUscc: seal.ownerUscc,
    ownerName: seal.ownerName,
    type: seal.type,
    name: seal.name,
    algorithm: seal.algorithm,
    validFrom: seal.validFrom,
    validTo: seal.validTo,
    ...(seal.esID ? { esID: seal.esID } : {}),
    sealVersion: seal.sealVersion,
    ...(seal.certificate ? { certificate: Buffer.from(seal.certificate).toString('base64') } : {}),
    ...(seal.picture ? { picture: { widthMm: seal.picture.widthMm, heightMm: seal.picture.heightMm } } : {}),
    ...(seal.replaces ? { replaces: seal.replaces } : {}),
    ...(seal.replacedBy ? { replacedBy: seal.replacedBy } : {}),
    statusHistory: seal.statusHistory,
    createdAt: seal.createdAt,
    updatedAt: seal.updatedAt,
  };
}
