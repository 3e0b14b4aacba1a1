/**
 * Calendar arithmetic for PMO rules. Dates that a person plans with (due dates, gate dates, review dates) are
 * calendar days (`YYYY-MM-DD`) with no time zone; moments that something happened are ISO instants. Rules compare
 * calendar days so that a DST change or a year end never makes a project a day early or late.
 */
import { addDays, differenceInCalendarDays, formatISO, parseISO } from 'date-fns';
import { z } from 'zod';

/** A calendar day as Jira stores `duedate`: `YYYY-MM-DD`. */
export const isoDateSchema = z.iso.date();
export type IsoDate = z.infer<typeof isoDateSchema>;

/** A moment, always with an offset (`2026-03-29T01:30:00.000Z`). */
export const instantSchema = z.iso.datetime({ offset: true });
export type Instant = z.infer<typeof instantSchema>;

/** The calendar day of an instant in UTC; the app passes UTC instants so every user sees the same day. */
export function dayOf(instant: Instant): IsoDate {
  return new Date(instant).toISOString().slice(0, 10);
}

/**
 * Whole calendar days from `from` to `to` (negative when `to` is earlier). Parsing `YYYY-MM-DD` as a local
 * date and differencing calendar days is what keeps DST shifts (23- or 25-hour days) out of the result.
 */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return differenceInCalendarDays(parseISO(to), parseISO(from));
}

/** The calendar day `days` after `date`. */
export function addCalendarDays(date: IsoDate, days: number): IsoDate {
  return formatISO(addDays(parseISO(date), days), { representation: 'date' });
}

/** True when `date` is strictly before `today`: a due date of today is not yet overdue. */
export function isPast(date: IsoDate, today: IsoDate): boolean {
  return daysBetween(date, today) > 0;
}
