import { describe, expect, it } from '@jest/globals';
import { chinaDate, endOfChinaDay, startOfChinaDay, workingCalendar } from '../../shared/workflow/working-calendar.js';

const calendar = workingCalendar();
/** an instant on a China Standard Time day at a local hour */
const at = (day: string, hour = 10) => new Date(startOfChinaDay(day).getTime() + hour * 3600_000);

describe('working calendar', () => {
  it('reads days in China Standard Time, whatever the instant in UTC', () => {
    expect(chinaDate(new Date('2026-03-01T15:59:59Z'))).toBe('2026-03-01');
    expect(chinaDate(new Date('2026-03-01T16:00:00Z'))).toBe('2026-03-02');
    expect(endOfChinaDay('2026-03-02').toISOString()).toBe('2026-03-02T15:59:59.999Z');
  });

  it('skips weekends and the 2026 holidays, and works the make-up Saturdays and Sundays', () => {
    expect(calendar.isWorkingDay('2026-03-02')).toBe(true); // Monday
    expect(calendar.isWorkingDay('2026-03-07')).toBe(false); // Saturday
    expect(calendar.isWorkingDay('2026-10-01')).toBe(false); // 国庆节, Thursday
    expect(calendar.isWorkingDay('2026-02-16')).toBe(false); // 春节, Monday
    expect(calendar.isWorkingDay('2026-02-14')).toBe(true); // 春节调休, Saturday
    expect(calendar.isWorkingDay('2026-09-20')).toBe(true); // 国庆调休, Sunday
    expect(calendar.isWorkingDay('2026-01-04')).toBe(true); // 元旦调休, Sunday
  });

  it('counts a deadline from the day after the start, in working days, to the end of that day', () => {
    expect(chinaDate(calendar.deadline(at('2026-03-02'), 1))).toBe('2026-03-03');
    expect(chinaDate(calendar.deadline(at('2026-03-06'), 1))).toBe('2026-03-09'); // Friday + 1 → Monday
    expect(chinaDate(calendar.deadline(at('2026-03-02'), 5))).toBe('2026-03-09');
    expect(calendar.deadline(at('2026-03-02'), 1).toISOString()).toBe(endOfChinaDay('2026-03-03').toISOString());
    // over the National Day week: after 09-30 (Wed) come 10-08 (Thu), 10-09 (Fri) and the make-up Saturday 10-10
    expect(chinaDate(calendar.deadline(at('2026-09-30'), 2))).toBe('2026-10-09');
    expect(chinaDate(calendar.deadline(at('2026-09-30'), 3))).toBe('2026-10-10');
    // over the Spring Festival, with the make-up Saturday 02-14 counted
    expect(chinaDate(calendar.deadline(at('2026-02-13'), 1))).toBe('2026-02-14');
    expect(chinaDate(calendar.deadline(at('2026-02-13'), 2))).toBe('2026-02-24');
  });

  it('gives on-the-spot items (0 days) the end of the start day, or of the next working day', () => {
    expect(chinaDate(calendar.deadline(at('2026-03-02'), 0))).toBe('2026-03-02');
    expect(chinaDate(calendar.deadline(at('2026-03-07'), 0))).toBe('2026-03-09');
  });

  it('counts working days between two instants, signed', () => {
    expect(calendar.workingDaysBetween(at('2026-03-02'), at('2026-03-02', 17))).toBe(0);
    expect(calendar.workingDaysBetween(at('2026-03-02'), at('2026-03-09'))).toBe(5);
    expect(calendar.workingDaysBetween(at('2026-03-09'), at('2026-03-02'))).toBe(-5);
    expect(calendar.workingDaysBetween(at('2026-09-30'), at('2026-10-08'))).toBe(1);
  });

  it('moves a deadline by working days and finds the start of a working day before it', () => {
    expect(chinaDate(calendar.extend(endOfChinaDay('2026-03-06'), 1))).toBe('2026-03-09');
    expect(calendar.extend(endOfChinaDay('2026-03-06'), 0).toISOString()).toBe(endOfChinaDay('2026-03-06').toISOString());
    expect(calendar.startBefore(endOfChinaDay('2026-03-09'), 1).toISOString()).toBe(startOfChinaDay('2026-03-06').toISOString());
    expect(calendar.startBefore(endOfChinaDay('2026-03-09'), 0).toISOString()).toBe(startOfChinaDay('2026-03-09').toISOString());
  });

  it('takes holidays and make-up days from configuration beyond the built-in years', () => {
    const configured = workingCalendar({ holidays: ['2030-01-01'], workdays: ['2030-01-05'] });
    expect(configured.isWorkingDay('2030-01-01')).toBe(false); // Tuesday, configured holiday
    expect(configured.isWorkingDay('2030-01-05')).toBe(true); // Saturday, configured workday
    expect(chinaDate(configured.deadline(at('2029-12-31'), 1))).toBe('2030-01-02');
  });
});
