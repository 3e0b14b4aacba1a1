/**
 * Turning reason and refusal codes into sentences in the reader's language. Catalogs live in `locales/*.json` as
 * flat keys; `{name}` placeholders are filled from params. A param value that is itself a code (an aspect, a role,
 * a status) is translated through `param.<name>.<value>` when the catalog has it, so "cost" reads "kostnad" in nb.
 */

export type Catalog = Readonly<Record<string, string>>;
export type MessageParams = Readonly<Record<string, string | number>>;

const PLACEHOLDER = /\{([a-zA-Z][a-zA-Z0-9]*)\}/g;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** How a reader writes the values a message is filled with: numbers, and calendar days given as ISO dates. */
export interface ValueFormat {
  readonly number: (value: number) => string;
  readonly date: (isoDay: string) => string;
}

/** Names of the placeholders a message uses, for catalog consistency checks. */
export function placeholdersOf(message: string): string[] {
  return [...message.matchAll(PLACEHOLDER)].map((match) => match[1] as string).sort();
}

/**
 * The message for `key` with its placeholders filled. Falls back to the fallback catalog, then to the key itself,
 * so a missing translation shows something a developer can find rather than nothing.
 */
export function formatMessage(
  catalog: Catalog,
  key: string,
  params: MessageParams = {},
  fallback: Catalog = {},
  format?: ValueFormat,
): string {
  const lookup = (k: string): string | undefined => catalog[k] ?? fallback[k];
  const translate = (name: string, value: string | number): string => {
    if (typeof value === 'number') return format ? format.number(value) : String(value);
    if (format && ISO_DAY.test(value)) return format.date(value);
    const whole = lookup(`param.${name}.${value}`);
    if (whole !== undefined) return whole;
    // Lists of codes ("pmo, sponsor") are translated item by item.
    const parts = value.split(', ').map((part) => lookup(`param.${name}.${part}`));
    return parts.length > 1 && parts.every((part) => part !== undefined) ? parts.join(', ') : value;
  };
  const template = lookup(key);
  if (template === undefined) return key;
  return template.replace(PLACEHOLDER, (placeholder, name: string) => {
    const value = params[name];
    return value === undefined ? placeholder : translate(name, value);
  });
}

/** The languages Tollgate ships catalogs for. */
export const CATALOG_LOCALES = ['en-US', 'nb-NO', 'sv-SE'] as const;
export type CatalogLocale = (typeof CATALOG_LOCALES)[number];

/** Forge gives `en-US`, `no-NO`, `sv-SE` (sometimes with `_`); Norwegian of any kind reads the Bokmål catalog. */
export function catalogLocale(forgeLocale: string | undefined): CatalogLocale {
  const language = (forgeLocale ?? 'en-US').replace('_', '-').split('-')[0]?.toLowerCase();
  if (language === 'nb' || language === 'no' || language === 'nn') return 'nb-NO';
  if (language === 'sv') return 'sv-SE';
  return 'en-US';
}

/** Words, dates and numbers in one reader's language. */
export interface Translator {
  /** The BCP 47 tag the catalog speaks (`nb-NO` for every Norwegian variant). */
  readonly locale: string;
  readonly t: (key: string, params?: MessageParams) => string;
  /** A calendar date (`2026-11-21`) or an instant, as the reader writes dates. */
  readonly date: (iso: string) => string;
  /** An instant with its time of day. */
  readonly dateTime: (iso: string) => string;
  /** A number as the reader writes numbers (digit grouping, decimal sign). */
  readonly number: (value: number) => string;
}

/**
 * A translator over `catalog`, `fallback` (English) filling any gap. `timeZone` is where instants are read (a browser
 * knows its own; a function is told the reader's by Forge's context); calendar dates never move with it.
 */
export function createTranslator(locale: string, catalog: Catalog, fallback: Catalog, timeZone?: string): Translator {
  const zone = timeZone === undefined ? {} : { timeZone };
  const dateFormat = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', ...zone });
  const dayFormat = new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
  const dateTimeFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', ...zone });
  const numberFormat = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  // A bare date is a calendar day, not midnight anywhere: it is printed as that day whatever the time zone.
  const date = (iso: string) =>
    ISO_DAY.test(iso) ? dayFormat.format(new Date(`${iso}T12:00:00Z`)) : dateFormat.format(new Date(iso));
  const number = (value: number) => numberFormat.format(value);
  return {
    locale,
    // Figures and days inside a sentence are written as the reader writes them too ("1 420 000", "12. nov. 2026").
    t: (key, params) => formatMessage(catalog, key, params, fallback, { number, date }),
    date,
    dateTime: (iso) => dateTimeFormat.format(new Date(iso)),
    number,
  };
}
