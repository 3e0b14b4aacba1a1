import { useContext } from 'react';
import { I18nContext, type Translator } from './i18n';

/** The reader's translator (see i18n.ts). */
export function useI18n(): Translator {
  return useContext(I18nContext);
}
