import { ulid } from 'ulid';
import type { Tables } from '../../shared/ports/tables.js';
import { sealRepository } from '../../shared/seals/seal-repository.js';
import type { Seal } from '../../shared/seals/seal.js';
import { FIXTURE_PNG } from './seal-fixtures.js';

const TWO_YEARS_MS = 2 * 365 * 24 * 3600 * 1000;

/**
 * An active electronic seal of an agency, to issue certificates with. Agencies get their seals from
 * the seal authority; the demo has no account for an agency, so the application is registered
 * directly in the seals table and the seal authority makes the seal over HTTP (POST .../actions make).
 */
export async function agencySeal(input: { tables: Tables; baseUrl: string; authorityToken: string; agencyUscc: string; agencyName: string }): Promise<string> {
  const wholeSecond = Math.floor(Date.now() / 1000) * 1000;
  const at = new Date(wholeSecond).toISOString();
  const seal: Seal = {
    sealId: ulid(),
    source: 'platform',
    status: 'applied',
    statusHistory: [{ status: 'applied', at }],
    ownerUscc: input.agencyUscc,
    ownerAccountId: `agency:${input.agencyUscc}`,
    ownerName: input.agencyName,
    type: 'official',
    name: `${input.agencyName}电子证照专用章`,
    algorithm: 'SM2',
    picture: { png: FIXTURE_PNG, widthMm: 40, heightMm: 40 },
    validFrom: new Date(wholeSecond - 60_000).toISOString(),
    validTo: new Date(wholeSecond + TWO_YEARS_MS).toISOString(),
    sealVersion: 0,
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  await sealRepository(input.tables).commit([{ seal, audit: { action: 'apply', to: 'applied', actor: 'fixture', at } }]);
  const made = await fetch(`${input.baseUrl}/v1/seals/${seal.sealId}/actions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${input.authorityToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ action: 'make' }),
  });
  if (made.status !== 200) throw new Error(`making the agency seal: ${made.status} ${await made.text()}`);
  return seal.sealId;
}
