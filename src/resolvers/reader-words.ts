/**
 * The reader's language and time zone, from Forge's context: a resolver's `req.context` and an `adfExport` call's
 * context both carry `locale` and `timezone` (developer.atlassian.com/platform/forge/runtime-reference/custom-ui-resolver/).
 * Anything missing or malformed reads as English in UTC rather than failing the call.
 */
import { z } from 'zod';
import { wordsFor } from '../app/words';
import { type Translator } from '../domain/messages';

const readerSchema = z.object({
  locale: z.string().optional().catch(undefined),
  timezone: z.string().optional().catch(undefined),
});

/** The translator for the reader a Forge context describes. */
export function readerWords(context: unknown): Translator {
  const reader = readerSchema.safeParse(context ?? {});
  return wordsFor(reader.data?.locale, reader.data?.timezone);
}
