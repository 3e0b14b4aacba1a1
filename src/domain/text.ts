/**
 * Text people name things with: RAID titles, gate conditions, criteria, stage and template names, rationales and
 * reasons. "Not blank" is not enough: a string of zero-width, direction or other invisible characters passes a trim
 * and a minimum length, then shows as an empty row in the RAID log, an empty line in a gate review and an empty cell
 * in a spreadsheet, so nobody can tell what was decided or who owns what.
 */
import { z } from 'zod';

/**
 * Characters that render as nothing. Unicode's default-ignorable code points cover the zero-width space, joiners and
 * marks (U+200B–U+200F), the embeddings and overrides (U+202A–U+202E), the word joiner and invisible operators
 * (U+2060–U+2064), the isolates (U+2066–U+2069), the byte-order mark (U+FEFF), the soft hyphen, the Arabic letter
 * mark, variation selectors, tag characters and the Hangul fillers. Controls, lone surrogates and white space show
 * nothing either, nor does the Braille pattern blank (U+2800), which is not default-ignorable but is drawn empty.
 */
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\p{Cc}\p{Cs}\p{White_Space}\u2800]/gu;

/** What a schema says when text has nothing visible in it; static/admin translates it (admin.problem.visible). */
export const INVISIBLE_TEXT_MESSAGE =
  'enter at least one visible character (zero-width, direction and other invisible characters do not count)';

/** The text without the characters that render as nothing. */
export function visiblePart(text: string): string {
  return text.replace(INVISIBLE, '');
}

/** True when the text shows at least one character once invisible ones and white space are left out. */
export function hasVisibleText(text: string | undefined): boolean {
  return text !== undefined && visiblePart(text).length > 0;
}

/**
 * Required text that names or explains something: trimmed, 1 to `max` characters, at least one of them visible. The
 * one helper every schema for such text uses, so the rule cannot differ between a RAID title and a criterion name.
 */
export function visibleText(max: number): z.ZodString {
  return z.string().trim().min(1).max(max).refine(hasVisibleText, { error: INVISIBLE_TEXT_MESSAGE });
}
