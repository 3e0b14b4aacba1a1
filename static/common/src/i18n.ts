/**
 * Every surface's words come from the app's own catalogs in /locales (imported from the repo at build time, so one file
 * per language serves backend reasons, refusals and every screen alike). English is bundled as the fallback; the
 * reader's own catalog is a separate chunk loaded on start.
 */
import { createContext } from 'react';
import english from '../../../locales/en-US.json';
import { type Catalog, formatMessage, type MessageParams } from '../../../src/domain/messages';

export interface Translator {
  /** The BCP 47 tag the catalog speaks (`nb-NO` for every Norwegian variant). */
  readonly locale: string;
  readonly t: (key: string, params?: MessageParams) => string;
  /** A calendar date (`2026-11-21`) or an instant, as the reader writes dates. */
  readonly date: (iso: string) => string;
  /** An instant with its time of day. */
  readonly dateTime: (iso: string) => string;
}

/** Forge gives `en-US`, `no-NO`, `sv-SE` (sometimes with `_`); Norwegian of any kind reads the Bokmål catalog. */
export function catalogLocale(forgeLocale: string | undefined): 'en-US' | 'nb-NO' | 'sv-SE' {
  const language = (forgeLocale ?? 'en-US').replace('_', '-').split('-')[0]?.toLowerCase();
  if (language === 'nb' || language === 'no' || language === 'nn') return 'nb-NO';
  if (language === 'sv') return 'sv-SE';
  return 'en-US';
}

async function loadCatalog(locale: 'en-US' | 'nb-NO' | 'sv-SE'): Promise<Catalog> {
  if (locale === 'nb-NO') return (await import('../../../locales/nb-NO.json')).default;
  if (locale === 'sv-SE') return (await import('../../../locales/sv-SE.json')).default;
  return english;
}

/** A translator over the given catalog, English filling any gap. */
export function createTranslator(locale: string, catalog: Catalog): Translator {
  const dateFormat = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric' });
  const dateTimeFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  // A bare date is a calendar day, not midnight UTC: format it at noon so no time zone moves it a day.
  const parse = (iso: string) => new Date(/^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso}T12:00:00Z` : iso);
  return {
    locale,
    t: (key, params) => formatMessage(catalog, key, params, english),
    date: (iso) => dateFormat.format(parse(iso)),
    dateTime: (iso) => dateTimeFormat.format(parse(iso)),
  };
}

/** The translator for the reader's Jira locale. */
export async function translatorFor(forgeLocale: string | undefined): Promise<Translator> {
  const locale = catalogLocale(forgeLocale);
  return createTranslator(locale, await loadCatalog(locale));
}

export const I18nContext = createContext<Translator>(createTranslator('en-US', english));
