/**
 * Time for the Jira emulator: Jira's timestamp format, and wall-clock arithmetic in a user's time zone (JQL reads
 * `"2026-05-01"` and `startOfDay()` in the searching user's zone, as Jira does). Only `Intl` is used, so every zone
 * Node knows works and nothing depends on the machine's zone.
 */

/** Where the emulator reads the time; injectable so seeds and tests are deterministic. */
export type Clock = () => Date;

/** The fields of an instant as a clock on the wall of `timeZone` shows them. `weekday` is 0 for Sunday. */
export interface WallTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond: number;
  readonly weekday: number;
}

const MINUTE_MS = 60_000;
const WEEKDAYS: Readonly<Record<string, number>> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True when `Intl` knows the zone (user records are checked with it). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock fields of `instantMs` in `timeZone`. */
export function wallTime(instantMs: number, timeZone: string): WallTime {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(instantMs))) parts[part.type] = part.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    millisecond: ((instantMs % 1000) + 1000) % 1000,
    weekday: WEEKDAYS[parts.weekday ?? 'Sun'] ?? 0,
  };
}

/** Offset of `timeZone` from UTC at `instantMs`, in milliseconds (positive east of Greenwich). */
function offsetMs(instantMs: number, timeZone: string): number {
  const w = wallTime(instantMs, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, w.millisecond);
  return asUtc - instantMs;
}

/**
 * The instant a wall clock in `timeZone` shows the given time. Month and day may overflow (day 0, month 13): they
 * are normalised as `Date.UTC` does, which is what calendar arithmetic (`startOfMonth(+1)`) needs.
 */
export function zonedInstant(
  timeZone: string,
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
  millisecond = 0,
): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
  // The offset at the wall time read as UTC is right except within hours of a DST change; one refinement fixes it.
  const guess = wall - offsetMs(wall, timeZone);
  return wall - offsetMs(guess, timeZone);
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

/**
 * Jira's timestamp format, always in UTC here: `2026-05-01T10:00:00.000+0000` (the shape of `created` in
 * test/vendor/jira-fixtures/search-v3.airbyte-issues.json; Jira renders the user's offset, the emulator keeps +0000 so
 * output does not depend on who asks).
 */
export function formatJiraDateTime(instant: Date | number): string {
  const d = new Date(instant);
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}+0000`
  );
}

const JIRA_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:?\d{2})?$/;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Milliseconds of a Jira or ISO-8601 timestamp (`+0000`, `+00:00` or `Z`), or null when it is not one. */
export function parseDateTime(value: string): number | null {
  const m = JIRA_DATE_TIME.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, ms, zone] = m;
  let offset = 0;
  if (zone && zone !== 'Z') {
    const digits = zone.replace(':', '');
    const sign = digits.startsWith('-') ? -1 : 1;
    offset = sign * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5))) * MINUTE_MS;
  }
  const utc = Date.UTC(
    Number(y),
    Number(mo) - 1,
    Number(d),
    Number(h),
    Number(mi),
    Number(s ?? 0),
    Number((ms ?? '0').padEnd(3, '0')),
  );
  return Number.isNaN(utc) ? null : utc - offset;
}

/** True for a real calendar date written `YYYY-MM-DD` (Jira's `duedate` format). */
export function isCalendarDate(value: string): boolean {
  const m = DATE_ONLY.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** The instant a `YYYY-MM-DD` date starts in `timeZone` (how a date-only value compares with a moment). */
export function startOfCalendarDate(value: string, timeZone: string): number | null {
  if (!isCalendarDate(value)) return null;
  const [y, mo, d] = value.split('-').map(Number) as [number, number, number];
  return zonedInstant(timeZone, y, mo, d);
}
