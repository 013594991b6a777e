/**
 * Public holidays and make-up working days (调休) of mainland China, as the State Council
 * announces them each November for the next year. Dates are China Standard Time calendar days.
 * Only published years are listed; operators add later years (or local holidays) through
 * configuration (see case-settings.ts), so the calendar never guesses.
 */
export interface HolidayYear {
  /** days off that would otherwise be working days (weekends off anyway may be listed too) */
  readonly holidays: readonly string[];
  /** weekend days that are working days (调休上班) */
  readonly workdays: readonly string[];
  /** where the dates come from */
  readonly source: string;
}

const range = (from: string, to: string): string[] => {
  const days: string[] = [];
  for (let day = new Date(`${from}T00:00:00Z`); day <= new Date(`${to}T00:00:00Z`); day.setUTCDate(day.getUTCDate() + 1)) {
    days.push(day.toISOString().slice(0, 10));
  }
  return days;
};

export const CHINA_HOLIDAYS: Readonly<Record<number, HolidayYear>> = {
  2026: {
    source: '国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04)',
    holidays: [
      ...range('2026-01-01', '2026-01-03'), // 元旦
      ...range('2026-02-15', '2026-02-23'), // 春节
      ...range('2026-04-04', '2026-04-06'), // 清明节
      ...range('2026-05-01', '2026-05-05'), // 劳动节
      ...range('2026-06-19', '2026-06-21'), // 端午节
      ...range('2026-09-25', '2026-09-27'), // 中秋节
      ...range('2026-10-01', '2026-10-07'), // 国庆节
    ],
    workdays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  },
};
