import { addDays, differenceInCalendarDays, formatISO, parseISO } from 'date-fns';
import fc from 'fast-check';
import { addCalendarDays, dayOf, daysBetween, enteredDateSchema, isoDateSchema, isPast } from './time';

// Calendar arithmetic must not depend on the machine's zone: run every case in zones with DST on different dates.
describe.each(['UTC', 'Europe/Oslo', 'America/New_York', 'Australia/Sydney'])('calendar days in %s', (zone) => {
  const original = process.env.TZ;
  beforeAll(() => {
    process.env.TZ = zone;
  });
  afterAll(() => {
    process.env.TZ = original;
  });

  it.each([
    ['2026-03-28', '2026-03-30', 2], // EU spring forward on 29 March: a 23-hour day
    ['2026-10-24', '2026-10-26', 2], // EU fall back on 25 October: a 25-hour day
    ['2026-03-07', '2026-03-09', 2], // US spring forward on 8 March
    ['2026-04-04', '2026-04-06', 2], // Sydney fall back on 5 April
    ['2026-12-31', '2027-01-01', 1], // year end
    ['2027-01-01', '2026-12-31', -1],
    ['2028-02-28', '2028-03-01', 2], // leap year
    ['2027-02-28', '2027-03-01', 1],
    ['2026-06-01', '2026-06-01', 0],
  ])('from %s to %s is %i days', (from, to, days) => {
    expect(daysBetween(from, to)).toBe(days);
  });

  it.each([
    ['2026-03-28', 1, '2026-03-29'],
    ['2026-03-29', 1, '2026-03-30'],
    ['2026-10-25', 1, '2026-10-26'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2027-01-01', -1, '2026-12-31'],
    ['2028-02-28', 1, '2028-02-29'],
  ])('%s plus %i day is %s', (date, days, expected) => {
    expect(addCalendarDays(date, days)).toBe(expected);
  });
});

describe('isPast', () => {
  it.each([
    ['2026-05-01', '2026-05-01', false], // due today is not yet overdue
    ['2026-04-30', '2026-05-01', true],
    ['2026-05-02', '2026-05-01', false],
    ['2026-12-31', '2027-01-01', true],
  ])('%s before today %s: %s', (date, today, expected) => {
    expect(isPast(date, today)).toBe(expected);
  });
});

describe('dayOf', () => {
  it('takes the UTC calendar day of an instant', () => {
    expect(dayOf('2026-12-31T23:59:59.999Z')).toBe('2026-12-31');
    expect(dayOf('2027-01-01T00:00:00.000Z')).toBe('2027-01-01');
    expect(dayOf('2027-01-01T00:30:00+01:00')).toBe('2026-12-31');
  });
});

// The `YYYY-MM-DD` and `toISOString()` shapes take an arithmetic fast path; these pin it to what date-fns and Date
// answered before, for valid and invalid input alike, in zones with DST.
describe.each(['UTC', 'Europe/Oslo', 'America/New_York', 'Australia/Sydney', 'Asia/Kathmandu'])(
  'fast paths agree with date-fns in %s',
  (zone) => {
    const original = process.env.TZ;
    beforeAll(() => {
      process.env.TZ = zone;
    });
    afterAll(() => {
      process.env.TZ = original;
    });

    const pad = (value: number, width: number) => String(value).padStart(width, '0');
    // Days 0–31 and months 0–13 include invalid dates (30 February, month 13), which must stay on date-fns' path.
    const dateText = fc
      .tuple(
        fc.oneof(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 200 })),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 31 }),
      )
      .map(([y, m, d]) => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`);
    const recent = fc
      .integer({ min: -40_000, max: 40_000 })
      .map((offset) => referenceAddDays('2026-06-15', offset) as string);
    const anyDate = fc.oneof(dateText, recent);

    function referenceDaysBetween(from: string, to: string): number {
      return differenceInCalendarDays(parseISO(to), parseISO(from));
    }
    function referenceAddDays(date: string, days: number): string | Error {
      try {
        return formatISO(addDays(parseISO(date), days), { representation: 'date' });
      } catch (error) {
        return error as Error;
      }
    }

    it('daysBetween and isPast', () => {
      fc.assert(
        fc.property(anyDate, anyDate, (from, to) => {
          const expected = referenceDaysBetween(from, to);
          expect(daysBetween(from, to)).toBe(expected);
          expect(isPast(from, to)).toBe(expected > 0);
        }),
        { numRuns: 2000 },
      );
    });

    it('addCalendarDays', () => {
      fc.assert(
        fc.property(anyDate, fc.integer({ min: -4_000_000, max: 4_000_000 }), (date, days) => {
          const expected = referenceAddDays(date, days);
          if (expected instanceof Error) expect(() => addCalendarDays(date, days)).toThrow(expected.message);
          else expect(addCalendarDays(date, days)).toBe(expected);
        }),
        { numRuns: 2000 },
      );
    });

    it.each([
      ['2026-02-29', '2026-03-01'], // not a leap year
      ['2026-13-01', '2026-01-01'],
      ['2026-00-10', '2026-01-01'],
      ['2026-04-31', '2026-05-01'],
      ['2026-1-01', '2026-01-01'], // wrong shape
      ['20260101', '2026-01-02'], // ISO basic format: date-fns reads it
      ['2026-03-29T01:30:00Z', '2026-03-30'], // an instant, read by date-fns as before
      ['', '2026-01-01'],
      ['not a date', '2026-01-01'],
      ['0000-01-01', '0000-02-29'], // date-fns is a day off here in Sydney; the answer stays what it was
      ['0099-12-31', '0100-01-01'],
    ])('daysBetween(%s, %s) is what date-fns says, NaN included', (from, to) => {
      expect(daysBetween(from, to)).toBe(referenceDaysBetween(from, to));
      expect(daysBetween(to, from)).toBe(referenceDaysBetween(to, from));
    });

    it.each([
      ['2026-02-29', 1],
      ['2026-13-01', 1],
      ['not a date', 1],
      ['2026-06-01', 0.5], // a fraction of a day goes to date-fns
      ['2026-06-01', Number.NaN],
      ['9999-12-31', 1], // year 10000 is written by formatISO
      ['0000-01-01', -1], // so is year -1
      ['0099-12-31', 1], // years 0–99 are not 1900–1999
    ])('addCalendarDays(%s, %s) is what date-fns says, errors included', (date, days) => {
      const expected = referenceAddDays(date, days);
      if (expected instanceof Error) expect(() => addCalendarDays(date, days)).toThrow(expected.message);
      else expect(addCalendarDays(date, days)).toBe(expected);
    });
  },
);

describe('dayOf fast path', () => {
  function referenceDayOf(instant: string): string | Error {
    try {
      return new Date(instant).toISOString().slice(0, 10);
    } catch (error) {
      return error as Error;
    }
  }
  function check(instant: string): void {
    const expected = referenceDayOf(instant);
    if (expected instanceof Error) expect(() => dayOf(instant)).toThrow(expected.message);
    else expect(dayOf(instant)).toBe(expected);
  }

  it('agrees with Date for toISOString instants and near misses', () => {
    const pad = (value: number, width: number) => String(value).padStart(width, '0');
    const instant = fc
      .tuple(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        fc.integer({ min: 0, max: 25 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 61 }),
        fc.option(fc.integer({ min: 0, max: 999 })),
      )
      .map(
        ([y, mo, d, h, mi, s, ms]) =>
          `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}${ms === null ? '' : `.${pad(ms, 3)}`}Z`,
      );
    fc.assert(fc.property(instant, check), { numRuns: 3000 });
  });

  it.each([
    '2026-12-31T24:00:00Z', // 24:00 is the next day's midnight to Date
    '2026-12-31T23:59:60Z',
    '2026-02-29T10:00:00.000Z',
    '2026-06-01T10:00:00.1234Z',
    '2026-06-01T10:00:00.12Z',
    '2026-06-01T10:00Z',
    '2026-06-01t10:00:00Z',
    '2026-06-01T10:00:00+02:00',
    '2026-06-01T00:30:00-01:00',
    '2026-06-01',
    'yesterday',
  ])('%s reads as Date reads it', (instant) => {
    check(instant);
  });
});

describe('enteredDateSchema: the days a person may enter', () => {
  it.each([
    ['year 0000', '0000-01-01'],
    ['year 0001', '0001-06-15'],
    ['a mistyped 2026 (0202)', '0202-05-01'],
    ['the day before 1900', '1899-12-31'],
    ['the day after 2200', '2201-01-01'],
    ['year 9999', '9999-12-31'],
    ['a day that does not exist', '2026-02-30'],
    ['a five-digit year', '20266-01-01'],
    ['a signed year', '+002026-01-01'],
  ])('refuses %s (%s)', (_case, date) => {
    expect(enteredDateSchema.safeParse(date).success).toBe(false);
  });

  it.each(['1900-01-01', '1970-01-01', '2026-11-21', '2028-02-29', '2200-12-31'])('accepts %s', (date) => {
    expect(enteredDateSchema.parse(date)).toBe(date);
  });

  it('names the range it accepts', () => {
    expect(enteredDateSchema.safeParse('0000-01-01').error?.issues[0]?.message).toBe(
      'use a date between 1900-01-01 and 2200-12-31',
    );
  });

  it('accepts exactly the real days of 1900–2200, and nothing outside them', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 1, max: 12 }), (year, month) => {
        const date = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-01`;
        expect(enteredDateSchema.safeParse(date).success).toBe(year >= 1900 && year <= 2200);
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves isoDateSchema as it was, so dates Tollgate stored or Jira holds still read', () => {
    expect(isoDateSchema.parse('0202-05-01')).toBe('0202-05-01');
  });
});
