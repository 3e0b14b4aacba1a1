import { type ReactNode, useMemo } from 'react';
import { type TemplateTerms } from '../../../src/contract/portfolio';
import { I18nContext } from './i18n';
import { useI18n } from './useI18n';

/**
 * The reader's translator with the templates' names in their language (the server sends them with the data): a
 * reason's `{gate}` and a row's stage then read "Port 2: Andre screening", not the English the data holds.
 */
export function WithTerms({ terms, children }: { readonly terms: TemplateTerms; readonly children: ReactNode }) {
  const words = useI18n();
  const extended = useMemo(() => (Object.keys(terms).length === 0 ? words : words.extend(terms)), [words, terms]);
  return <I18nContext.Provider value={extended}>{children}</I18nContext.Provider>;
}
