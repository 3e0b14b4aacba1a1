/**
 * Every surface's words come from the app's own catalogs in /locales (imported from the repo at build time, so one file
 * per language serves backend reasons, refusals and every screen alike). English is bundled as the fallback; the
 * reader's own catalog is a separate chunk loaded on start.
 */
import { createContext } from 'react';
import english from '../../../locales/en-US.json';
import {
  type Catalog,
  catalogLocale,
  createTranslator as createDomainTranslator,
  type Translator,
} from '../../../src/domain/messages';

export { catalogLocale, type Translator };

async function loadCatalog(locale: 'en-US' | 'nb-NO' | 'sv-SE'): Promise<Catalog> {
  if (locale === 'nb-NO') return (await import('../../../locales/nb-NO.json')).default;
  if (locale === 'sv-SE') return (await import('../../../locales/sv-SE.json')).default;
  return english;
}

/** A translator over the given catalog, English filling any gap; instants in the browser's own time zone. */
export function createTranslator(locale: string, catalog: Catalog): Translator {
  return createDomainTranslator(locale, catalog, english);
}

/** The translator for the reader's Jira locale. */
export async function translatorFor(forgeLocale: string | undefined): Promise<Translator> {
  const locale = catalogLocale(forgeLocale);
  return createTranslator(locale, await loadCatalog(locale));
}

export const I18nContext = createContext<Translator>(createTranslator('en-US', english));
