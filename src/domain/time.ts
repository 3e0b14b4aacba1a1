/**
 * Calendar arithmetic for PMO rules. Dates that a person plans with (due dates, gate dates, review dates) are
 * calendar days (`YYYY-MM-DD`) with no time zone; moments that something happened are ISO instants. Rules compare
 * calendar days so that a DST change or a year end never makes a project a day early or late.
 *
 * The health rules call these thousands of times per portfolio read, so the shapes the app itself stores
 * (`YYYY-MM-DD` and `toISOString()` instants) are handled with integer arithmetic on the proleptic Gregorian
 * calendar, which is what date-fns computes for them in every time zone. Anything else (an invalid day, another
 * ISO form) goes through date-fns as before, so odd input gives exactly the answer it always gave.
 */
import { addDays, differenceInCalendarDays, formatISO, parseISO } from 'date-fns';
import { z } from 'zod';

/** A calendar day as Jira stores `duedate`: `YYYY-MM-DD`. */
export const isoDateSchema = z.iso.date();
export type IsoDate = z.infer<typeof isoDateSchema>;

/** The first and last year a person may enter a date in (see enteredDateSchema). */
export const FIRST_ENTERED_YEAR = 1900;
export const LAST_ENTERED_YEAR = 2200;

/**
 * A calendar day a person enters (a gate, due, review or condition date, an "as of" day): `YYYY-MM-DD` in the years
 * 1900–2200. Nothing a PMO plans or looks back on lies outside them, while a mistyped year (0202 for 2026, 20266)
 * does, and would make a gate centuries overdue or never due; years before 100 would also leave the exact day
 * arithmetic below. Dates Tollgate reads rather than takes from a person (Jira's due date, stored documents, the
 * ledger) keep isoDateSchema, so a record saved before this rule still opens.
 */
export const enteredDateSchema = isoDateSchema.refine(
  (date) => {
    const year = Number(date.slice(0, 4));
    return year >= FIRST_ENTERED_YEAR && year <= LAST_ENTERED_YEAR;
  },
  { error: `use a date between ${FIRST_ENTERED_YEAR}-01-01 and ${LAST_ENTERED_YEAR}-12-31` },
);

/** A moment, always with an offset (`2026-03-29T01:30:00.000Z`). */
export const instantSchema = z.iso.datetime({ offset: true });
export type Instant = z.infer<typeof instantSchema>;

const ZERO = 48; // '0'
/** The first year whose calendar-day arithmetic date-fns gets right in every zone (see calendarDayNumber). */
const FIRST_EXACT_YEAR = 100;
const DASH = 45; // '-'

/** The value of `length` decimal digits of `text` from `at`, or -1 when any of them is not a digit. */
function digits(text: string, at: number, length: number): number {
  let value = 0;
  for (let i = at; i < at + length; i += 1) {
    const digit = text.charCodeAt(i) - ZERO;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`). Pure integer arithmetic:
 * no Date, so no time zone and none of Date.UTC's mapping of years 0–99 to 1900–1999.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** The date of a day number from `daysFromCivil` (its inverse, `civil_from_days`). */
function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** Year, month and day of `text` from `at` when they are a real `YYYY-MM-DD` date there, else null. */
function calendarDateAt(text: string, at: number): { year: number; month: number; day: number } | null {
  if (text.charCodeAt(at + 4) !== DASH || text.charCodeAt(at + 7) !== DASH) return null;
  const year = digits(text, at, 4);
  const month = digits(text, at + 5, 2);
  const day = digits(text, at + 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

/**
 * The day number of a valid `YYYY-MM-DD`, or undefined for any other text (left to date-fns, which knows what it
 * makes of other shapes and of invalid dates).
 */
function calendarDayNumber(date: string): number | undefined {
  if (date.length !== 10) return undefined;
  const parts = calendarDateAt(date, 0);
  // Before the year 100 date-fns measures time zone offsets through Date.UTC, which reads years 0–99 as 1900–1999,
  // and can be a day off in zones with a local mean time (Sydney, Oslo): such dates keep the answers they always had.
  if (!parts || parts.year < FIRST_EXACT_YEAR) return undefined;
  return daysFromCivil(parts.year, parts.month, parts.day);
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/**
 * The UTC calendar day of an instant the way `Date#toISOString` writes it (`YYYY-MM-DDTHH:mm:ssZ`, optionally with
 * exactly three fraction digits), or undefined for any other form (an offset, 24:00, a leap second…).
 */
function utcDayOfIsoString(instant: string): IsoDate | undefined {
  if (instant.length !== 20 && instant.length !== 24) return undefined;
  if (instant.charCodeAt(instant.length - 1) !== 90 /* Z */ || instant.charCodeAt(10) !== 84 /* T */) return undefined;
  if (instant.charCodeAt(13) !== 58 /* : */ || instant.charCodeAt(16) !== 58) return undefined;
  if (instant.length === 24 && (instant.charCodeAt(19) !== 46 /* . */ || digits(instant, 20, 3) < 0)) return undefined;
  const hours = digits(instant, 11, 2);
  const minutes = digits(instant, 14, 2);
  const seconds = digits(instant, 17, 2);
  if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59 || seconds < 0 || seconds > 59) return undefined;
  return calendarDateAt(instant, 0) ? instant.slice(0, 10) : undefined;
}

/** The calendar day of an instant in UTC; the app passes UTC instants so every user sees the same day. */
export function dayOf(instant: Instant): IsoDate {
  return utcDayOfIsoString(instant) ?? new Date(instant).toISOString().slice(0, 10);
}

/**
 * Whole calendar days from `from` to `to` (negative when `to` is earlier). Parsing `YYYY-MM-DD` as a local
 * date and differencing calendar days is what keeps DST shifts (23- or 25-hour days) out of the result; the
 * day-number fast path never sees hours at all.
 */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  const start = calendarDayNumber(from);
  if (start !== undefined) {
    const end = calendarDayNumber(to);
    if (end !== undefined) return end - start;
  }
  return differenceInCalendarDays(parseISO(to), parseISO(from));
}

/** The calendar day `days` after `date`. */
export function addCalendarDays(date: IsoDate, days: number): IsoDate {
  const start = Number.isSafeInteger(days) ? calendarDayNumber(date) : undefined;
  if (start !== undefined) {
    const { year, month, day } = civilFromDays(start + days);
    // formatISO writes other years (a sign, five digits) its own way: leave those to it.
    if (year >= FIRST_EXACT_YEAR && year <= 9999) return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
  }
  return formatISO(addDays(parseISO(date), days), { representation: 'date' });
}

/** True when `date` is strictly before `today`: a due date of today is not yet overdue. */
export function isPast(date: IsoDate, today: IsoDate): boolean {
  return daysBetween(date, today) > 0;
}
