/**
 * How the backend words Tollgate's codes for a reader (words.ts gives the translator): a health reason as its
 * sentence, a coded value (an outcome, a status, a dimension) as a capitalised label. The steering macro and the
 * portfolio's CSV both write with these, so a decision reads the same in a document, a spreadsheet and on screen.
 */
import { type Translator } from '../domain/messages';
import { type Reason } from '../domain/rag';

/** A reason in the reader's language, with its parameters filled in. */
export function reasonText(words: Translator, reason: Reason): string {
  return words.t(`reason.${reason.code}`, reason.params);
}

/** A coded value in the reader's language, capitalised for a table; the code itself, unhyphenated, when unknown. */
export function codeLabel(words: Translator, kind: string, value: string): string {
  const message = words.t(`param.${kind}.${value}`);
  const word = message === `param.${kind}.${value}` ? value.replace(/-/g, ' ') : message;
  return word.charAt(0).toLocaleUpperCase(words.locale) + word.slice(1);
}
