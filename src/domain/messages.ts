/**
 * Turning reason and refusal codes into sentences in the reader's language. Catalogs live in `locales/*.json` as
 * flat keys; `{name}` placeholders are filled from params. A param value that is itself a code (an aspect, a role,
 * a status) is translated through `param.<name>.<value>` when the catalog has it, so "cost" reads "kostnad" in nb.
 *
 * A count picks its words with ICU's plural form, `{count, plural, one {# day} other {# days}}`, by the reader's
 * language's own rules (Intl.PluralRules): "1 day", "2 days", never "day(s)". `=0 {…}` names an exact number; `#` is
 * the count as the reader writes numbers. Only `plural` is understood (no `select`), which is all the catalogs use.
 */

export type Catalog = Readonly<Record<string, string>>;
export type MessageParams = Readonly<Record<string, string | number>>;

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** How a reader writes the values a message is filled with: numbers, calendar days given as ISO dates, plurals. */
export interface ValueFormat {
  readonly number: (value: number) => string;
  readonly date: (isoDay: string) => string;
  readonly plural: (count: number) => Intl.LDMLPluralRule;
}

/** A message, parsed: text, `{name}`, `{name, plural, …}` and, inside a plural's branch, `#`. */
type Piece =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'value'; readonly name: string }
  | { readonly kind: 'count'; readonly name: string }
  | { readonly kind: 'plural'; readonly name: string; readonly branches: ReadonlyMap<string, readonly Piece[]> };

const VALUE = /^\{([a-zA-Z][a-zA-Z0-9]*)\}/;
const PLURAL = /^\{([a-zA-Z][a-zA-Z0-9]*),\s*plural,\s*/;
const BRANCH = /^\s*(=\d+|zero|one|two|few|many|other)\s*\{/;

class MalformedMessage extends Error {}

/**
 * Pieces from `at` to the end, or (inside a plural branch, `count` naming its plural) to the branch's closing brace.
 * A brace that opens neither form is text, as before plurals were understood.
 */
function parsePieces(message: string, at: number, count?: string): { pieces: Piece[]; end: number } {
  const pieces: Piece[] = [];
  let text = '';
  const flush = () => {
    if (text !== '') pieces.push({ kind: 'text', text });
    text = '';
  };
  let i = at;
  while (i < message.length) {
    const char = message[i] as string;
    const rest = message.slice(i);
    if (char === '}' && count !== undefined) {
      flush();
      return { pieces, end: i + 1 };
    }
    if (char === '#' && count !== undefined) {
      flush();
      pieces.push({ kind: 'count', name: count });
      i += 1;
      continue;
    }
    const value = char === '{' ? VALUE.exec(rest) : null;
    if (value) {
      flush();
      pieces.push({ kind: 'value', name: value[1] as string });
      i += value[0].length;
      continue;
    }
    const plural = char === '{' ? PLURAL.exec(rest) : null;
    if (plural) {
      flush();
      const name = plural[1] as string;
      const branches = new Map<string, readonly Piece[]>();
      i += plural[0].length;
      for (;;) {
        const close = /^\s*\}/.exec(message.slice(i));
        if (close) {
          i += close[0].length;
          break;
        }
        const branch = BRANCH.exec(message.slice(i));
        if (!branch) throw new MalformedMessage(`a plural branch was expected at ${i}`);
        const body = parsePieces(message, i + branch[0].length, name);
        branches.set(branch[1] as string, body.pieces);
        i = body.end;
      }
      if (!branches.has('other')) throw new MalformedMessage(`the plural of {${name}} has no "other" branch`);
      pieces.push({ kind: 'plural', name, branches });
      continue;
    }
    text += char;
    i += 1;
  }
  if (count !== undefined) throw new MalformedMessage('a plural branch is not closed');
  flush();
  return { pieces, end: i };
}

const parsed = new Map<string, readonly Piece[] | null>();

/** The message's pieces (parsed once per distinct text), or null when it is malformed. */
function piecesOf(message: string): readonly Piece[] | null {
  let pieces = parsed.get(message);
  if (pieces === undefined) {
    try {
      pieces = parsePieces(message, 0).pieces;
    } catch (error) {
      if (!(error instanceof MalformedMessage)) throw error;
      pieces = null;
    }
    parsed.set(message, pieces);
  }
  return pieces;
}

/** Whether a message parses: every plural closed, with an `other` branch. */
export function isWellFormed(message: string): boolean {
  return piecesOf(message) !== null;
}

function namesIn(pieces: readonly Piece[], into: Set<string>): Set<string> {
  for (const piece of pieces) {
    if (piece.kind === 'value') into.add(piece.name);
    if (piece.kind === 'plural') {
      into.add(piece.name);
      for (const branch of piece.branches.values()) namesIn(branch, into);
    }
  }
  return into;
}

/** Names of the placeholders a message uses, once each, for catalog consistency checks. */
export function placeholdersOf(message: string): string[] {
  return [...namesIn(piecesOf(message) ?? [{ kind: 'text', text: message }], new Set())].sort();
}

const ENGLISH_PLURALS = new Intl.PluralRules('en');
const englishPlural = (count: number) => ENGLISH_PLURALS.select(count);

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
  const pieces = piecesOf(template);
  // A malformed message (a catalog test keeps them out) is shown as written rather than not at all.
  if (pieces === null) return template;
  const write = (list: readonly Piece[]): string =>
    list
      .map((piece) => {
        if (piece.kind === 'text') return piece.text;
        const value = params[piece.name];
        if (piece.kind === 'value') return value === undefined ? `{${piece.name}}` : translate(piece.name, value);
        const count = typeof value === 'number' ? value : Number(value);
        if (piece.kind === 'count') return Number.isFinite(count) ? translate(piece.name, count) : '#';
        const rule = Number.isFinite(count) ? (format?.plural ?? englishPlural)(count) : 'other';
        // Parsing made sure every plural has an `other` branch.
        const branch = piece.branches.get(`=${count}`) ?? piece.branches.get(rule) ?? piece.branches.get('other') ?? [];
        return write(branch);
      })
      .join('');
  return write(pieces);
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
  /**
   * A name the data holds in English (a template's stage, gate or criterion, see template-words.ts) as the reader
   * reads it: `param.<kind>.<name>` from the catalog, or the name itself.
   */
  readonly term: (kind: 'template' | 'stage' | 'gate' | 'items', name: string) => string;
  /** The same reader with more catalog entries (a template's terms). */
  readonly extend: (extra: Catalog) => Translator;
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
  const pluralRules = new Intl.PluralRules(locale);
  const plural = (count: number) => pluralRules.select(count);
  return {
    locale,
    // Figures and days inside a sentence are written as the reader writes them too ("1 420 000", "12. nov. 2026").
    t: (key, params) => formatMessage(catalog, key, params, fallback, { number, date, plural }),
    date,
    dateTime: (iso) => dateTimeFormat.format(new Date(iso)),
    number,
    term: (kind, name) => catalog[`param.${kind}.${name}`] ?? name,
    extend: (extra) => createTranslator(locale, { ...catalog, ...extra }, fallback, timeZone),
  };
}
