/**
 * The backend's words in the reader's language: the catalogs in /locales that every screen uses, for what the
 * backend itself writes out — the steering macro's tables and their Word/PDF export. Forge's context names the
 * reader's locale and time zone.
 */
import enUS from '../../locales/en-US.json';
import nbNO from '../../locales/nb-NO.json';
import svSE from '../../locales/sv-SE.json';
import { type Catalog, catalogLocale, type CatalogLocale, createTranslator, type Translator } from '../domain/messages';
import { allTemplates, type Settings } from '../domain/settings';
import { templateTerms } from '../domain/template-words';

const CATALOGS: Readonly<Record<CatalogLocale, Catalog>> = { 'en-US': enUS, 'nb-NO': nbNO, 'sv-SE': svSE };

/** A translator for the reader Forge's context describes; English, in UTC, when it names neither. */
export function wordsFor(forgeLocale?: string, timeZone?: string): Translator {
  const locale = catalogLocale(forgeLocale);
  return createTranslator(locale, CATALOGS[locale], enUS, validZone(timeZone));
}

/** The reader's words with the names of every template the site uses (shipped and the PMO's own) in their language. */
export function readerTemplateWords(words: Translator, settings: Settings): Translator {
  return words.extend(templateTerms(allTemplates(settings.templates), words.locale));
}

/** English in UTC: for what has no reader (tests, logs). */
export const ENGLISH = wordsFor();

function validZone(timeZone: string | undefined): string {
  if (timeZone === undefined) return 'UTC';
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return timeZone;
  } catch {
    return 'UTC';
  }
}
