/**
 * How strictly the fields people fill in are checked. ENTERED is what a person may send now: names and reasons with
 * something visible in them, dates in a sensible range, no keys the schema does not know. RECORDED is what Tollgate
 * accepted before those rules, for reading back what it stored itself: ledger ops replay and saved templates open
 * exactly as they were accepted (docs/architecture.md §3, §4), so a rule made stricter never turns a project's
 * history into an error or the settings back into their defaults.
 */
import { z } from 'zod';
import { visibleText } from './text';
import { enteredDateSchema, isoDateSchema } from './time';

/** The checks for one strength; schemas that take what people type are built from one of the two below. */
export interface FieldRules {
  /** Whether this is what a person may send now (ENTERED) rather than what was stored under older rules. */
  readonly strict: boolean;
  /** Required text that names or explains something, of at most `max` characters. */
  readonly text: (max: number) => z.ZodString;
  /** A calendar day. */
  readonly date: z.ZodISODate;
  /** An object; strict ones refuse unknown keys, which would otherwise be dropped without a word. */
  readonly object: <S extends z.core.$ZodLooseShape>(
    shape: S,
    params?: string | z.core.$ZodObjectParams,
  ) => ReturnType<typeof z.object<S>>;
}

/** What a person may send now. */
export const ENTERED: FieldRules = {
  strict: true,
  text: visibleText,
  date: enteredDateSchema,
  object: z.strictObject,
};

/** What Tollgate accepted before today's rules: for its own ledger and stored settings, never for new input. */
export const RECORDED: FieldRules = {
  strict: false,
  text: (max) => z.string().trim().min(1).max(max),
  date: isoDateSchema,
  object: z.object,
};
