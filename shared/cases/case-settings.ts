import type { CalendarData } from '../workflow/working-calendar.js';

/** How the case functions are configured; read once per cold start. */
export interface CaseSettings {
  /** our id in case exchange envelopes (PLATFORM_ID) */
  readonly platformId: string;
  /** holidays and make-up working days beyond the built-in ones (WORKING_CALENDAR_HOLIDAYS, WORKING_CALENDAR_WORKDAYS: comma-separated YYYY-MM-DD) */
  readonly calendar: CalendarData;
}

const PLATFORM_ID = /^[a-z0-9][a-z0-9-]{1,62}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function loadCaseSettings(env: NodeJS.ProcessEnv = process.env): CaseSettings {
  const platformId = env.PLATFORM_ID || 'gov-platform';
  if (!PLATFORM_ID.test(platformId)) throw new Error('configuration: PLATFORM_ID must be 2 to 63 lower-case letters, digits and dashes');
  return { platformId, calendar: { holidays: days(env, 'WORKING_CALENDAR_HOLIDAYS'), workdays: days(env, 'WORKING_CALENDAR_WORKDAYS') } };
}

function days(env: NodeJS.ProcessEnv, name: string): string[] {
  const listed = (env[name] ?? '').split(',').map((day) => day.trim()).filter(Boolean);
  const bad = listed.find((day) => !DAY.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`)));
  if (bad !== undefined) throw new Error(`configuration: ${name} holds ${bad}, which is not a YYYY-MM-DD date`);
  return listed;
}
