import { addCalendarDays, dayOf, daysBetween, isPast } from './time';

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
