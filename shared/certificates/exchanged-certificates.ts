import type { PersonalDataProtector } from '../privacy/personal-data.js';
import type { Clock } from '../ports/clock.js';
import type { PlatformRepository } from '../exchange/platform-repository.js';
import type { RecordRepository, StoredRecord } from '../exchange/record-repository.js';
import { parseCertificateIdentifier } from './certificate-identifier.js';
import { holderCodeMask, type CallerHolder } from './certificate-holder.js';
import { effectiveStatus, type HolderCodeType } from './certificate-model.js';
import type { CertificateView, ExchangedCertificateSource } from './read-certificates.js';

const PAGE = 500;

/**
 * The certificates other platforms sent through data exchange (dataset `certificates`), read where
 * the exchange stores accepted records. Records keep the holder's code sealed with a masked copy
 * and no lookup hash, so candidates are picked by the mask and confirmed by opening the code.
 */
export function exchangedCertificates(deps: {
  platforms: Pick<PlatformRepository, 'list'>;
  records: Pick<RecordRepository, 'list'>;
  personalData: Pick<PersonalDataProtector, 'open'>;
  clock: Clock;
}): ExchangedCertificateSource {
  return {
    async forHolder(holder: CallerHolder) {
      const sources = (await deps.platforms.list()).filter((platform) => platform.source?.datasets.includes('certificates'));
      const mask = holderCodeMask(holder.code);
      const views: CertificateView[] = [];
      for (const { platformId } of sources) {
        let after: string | undefined;
        do {
          const page = await deps.records.list('certificates', platformId, { limit: PAGE, ...(after ? { after } : {}) });
          for (const record of page.records) {
            const view = await viewIfHeld(deps, record, holder, mask);
            if (view) views.push(view);
          }
          after = page.lastId;
        } while (after);
      }
      return views;
    },
  };
}

async function viewIfHeld(deps: { personalData: Pick<PersonalDataProtector, 'open'>; clock: Clock }, record: StoredRecord, holder: CallerHolder, mask: string): Promise<CertificateView | undefined> {
  const code = record.data?.personal.holderCode;
  const fields = record.data?.fields as Record<string, string> | undefined;
  if (!code || !fields || code.masked !== mask || fields.holderCodeType !== holder.codeType) return undefined;
  if ((await deps.personalData.open(code.sealed)) !== holder.code) return undefined;
  const name = record.data!.personal.holderName;
  const validUntil = fields.validUntil;
  return {
    identifier: fields.identifier!,
    typeCode: fields.typeCode!,
    name: fields.name!,
    holderName: name ? await deps.personalData.open(name.sealed) : '',
    holderCodeType: fields.holderCodeType as HolderCodeType,
    holderCode: holder.code,
    issuerName: fields.issuerName!,
    issuerUscc: fields.issuerUscc!,
    issueDate: fields.issueDate!,
    validFrom: fields.issueDate!,
    ...(validUntil ? { validUntil } : {}),
    status: effectiveStatus({ status: 'valid', ...(validUntil ? { validUntil } : {}) }, deps.clock.now()),
    version: parseCertificateIdentifier(fields.identifier!)?.version ?? 1,
    surface: {},
    source: `exchange:${record.source}`,
  };
}
