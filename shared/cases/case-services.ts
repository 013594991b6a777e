import type { Logger } from '@aws-lambda-powertools/logger';
import type { Grants, KeyName } from '../../infra/manifest.js';
import type { Clock } from '../ports/clock.js';
import type { KeyVault } from '../ports/key-vault.js';
import type { QueuePublisher } from '../ports/queue.js';
import type { Tables } from '../ports/tables.js';
import { personalDataProtector, type PersonalDataProtector } from '../privacy/personal-data.js';
import { workingCalendar, type WorkingCalendar } from '../workflow/working-calendar.js';
import type { CaseChangeEvent } from './case-events.js';
import type { ChangeContext } from './case-changes.js';
import { casePartners } from './case-partners.js';
import type { CaseApplicant } from './case-model.js';
import { caseRepository, type CaseRepository } from './case-repository.js';
import { loadCaseSettings, type CaseSettings } from './case-settings.js';
import { publishCaseChange } from './publish-case-change.js';

/** What every case use case reads: the cases, the working calendar, the clock, and where the function may send exchanged cases. */
export interface CaseStore {
  readonly cases: CaseRepository;
  readonly calendar: WorkingCalendar;
  readonly clock: Clock;
  readonly context: ChangeContext;
  readonly settings: CaseSettings;
}

export function caseStore(deps: { tables: Tables; clock: Clock }, spec: { readonly grants: Grants }, settings: CaseSettings = loadCaseSettings()): CaseStore {
  const calendar = workingCalendar(settings.calendar);
  return {
    cases: caseRepository({ tables: deps.tables }),
    calendar,
    clock: deps.clock,
    context: { calendar, platformId: settings.platformId, partners: casePartners(spec.grants) },
    settings,
  };
}

/** Publishes committed changes (see publish-case-change.ts). */
export type CasePublish = (event: CaseChangeEvent, applicant: CaseApplicant) => Promise<boolean>;

/**
 * Personal data of cases under the platform's data key. The key ids are read when first used, so
 * a function granted only `decrypt` never asks for the lookup key it does not have.
 */
export function casePersonalData(deps: { vault: KeyVault; keyIds: Readonly<Record<KeyName, string>> }): PersonalDataProtector {
  return personalDataProtector({
    vault: deps.vault,
    get dataKeyId() {
      return deps.keyIds.data;
    },
    get lookupKeyId() {
      return deps.keyIds.lookupHash;
    },
  });
}

export function casePublisher(
  store: CaseStore,
  deps: { queues: QueuePublisher; personalData: Pick<PersonalDataProtector, 'open'>; logger: Pick<Logger, 'warn'> },
): CasePublish {
  return (event, applicant) => publishCaseChange({ cases: store.cases, queues: deps.queues, personalData: deps.personalData, clock: store.clock, logger: deps.logger }, event, applicant);
}
