import { CHINA_HOLIDAYS } from './china-holidays.js';

/**
 * Working days as Chinese administrations count them (工作日): Monday to Friday, minus public
 * holidays, plus the weekend days declared working days (调休). Days are calendar days in China
 * Standard Time (UTC+8, no daylight saving), whatever the server's time zone.
 */
export interface WorkingCalendar {
  isWorkingDay(day: string): boolean;
  /**
   * The deadline of something started at `from` with `workingDays` to do it: the end of the
   * n-th working day after the start day (counting starts the next day, as 受理次日起算); with 0
   * days (即办) the end of the start day, or of the next working day when it is not one.
   */
  deadline(from: Date, workingDays: number): Date;
  /** the same deadline moved later by working days, e.g. by the working days a clock was paused */
  extend(deadline: Date, workingDays: number): Date;
  /** working days after `from`'s day up to and including `to`'s day; negative when `to` is the earlier day */
  workingDaysBetween(from: Date, to: Date): number;
  /** the start of the working day `workingDays` working days before the deadline's day */
  startBefore(deadline: Date, workingDays: number): Date;
}

export interface CalendarData {
  readonly holidays: readonly string[];
  readonly workdays: readonly string[];
}

const CHINA_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 24 * 3600_000;
/** no real deadline lies ten years of days away; a longer walk means broken calendar data */
const MAX_DAYS_WALKED = 3660;

/** the China Standard Time calendar day of an instant, YYYY-MM-DD */
export function chinaDate(at: Date): string {
  return new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** the first instant of a China Standard Time calendar day */
export function startOfChinaDay(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - CHINA_OFFSET_MS);
}

/** the last millisecond of a China Standard Time calendar day */
export function endOfChinaDay(day: string): Date {
  return new Date(startOfChinaDay(day).getTime() + DAY_MS - 1);
}

const nextDay = (day: string, step: 1 | -1) => new Date(Date.parse(`${day}T00:00:00Z`) + step * DAY_MS).toISOString().slice(0, 10);

/**
 * A working calendar over holiday data: the built-in China holidays (china-holidays.ts) merged
 * with `extra` (an operator's later years or local holidays). A day listed as both holiday and
 * workday is a workday: the make-up day wins, as the State Council's notices read.
 */
export function workingCalendar(extra: CalendarData = { holidays: [], workdays: [] }): WorkingCalendar {
  const years = Object.values(CHINA_HOLIDAYS);
  const holidays = new Set([...years.flatMap((year) => year.holidays), ...extra.holidays]);
  const workdays = new Set([...years.flatMap((year) => year.workdays), ...extra.workdays]);

  const isWorkingDay = (day: string) => {
    if (workdays.has(day)) return true;
    if (holidays.has(day)) return false;
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
    return weekday !== 0 && weekday !== 6;
  };

  /** the day `count` working days after (or, negative, before) `day` */
  const shift = (day: string, count: number) => {
    const step = count < 0 ? -1 : 1;
    let current = day;
    let left = Math.abs(count);
    for (let walked = 0; left > 0; walked++) {
      if (walked > MAX_DAYS_WALKED) throw new Error('working calendar: no working days within ten years');
      current = nextDay(current, step);
      if (isWorkingDay(current)) left--;
    }
    return current;
  };

  const firstWorkingDayFrom = (day: string) => (isWorkingDay(day) ? day : shift(day, 1));

  const between = (fromDay: string, toDay: string) => {
    if (fromDay === toDay) return 0;
    const [low, high, sign] = fromDay < toDay ? [fromDay, toDay, 1] : [toDay, fromDay, -1];
    let count = 0;
    for (let day = nextDay(low, 1), walked = 0; day <= high; day = nextDay(day, 1), walked++) {
      if (walked > MAX_DAYS_WALKED) throw new Error('working calendar: span longer than ten years');
      if (isWorkingDay(day)) count++;
    }
    return sign * count;
  };

  return {
    isWorkingDay,
    deadline(from, days) {
      const start = chinaDate(from);
      return endOfChinaDay(days === 0 ? firstWorkingDayFrom(start) : shift(start, days));
    },
    extend(deadline, days) {
      return days <= 0 ? deadline : endOfChinaDay(shift(chinaDate(deadline), days));
    },
    workingDaysBetween: (from, to) => between(chinaDate(from), chinaDate(to)),
    startBefore(deadline, days) {
      return startOfChinaDay(shift(firstWorkingDayFrom(chinaDate(deadline)), -days));
    },
  };
}
