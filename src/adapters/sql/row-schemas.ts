/**
 * The read model's rows as its readers get them back (ports.ts StoredProjection and StoredEntryRow): the columns
 * every read selects, and the zod schemas each answer's rows are validated with.
 */
import { z } from 'zod';
import { type StoredEntryRow, type StoredProjection } from '../../app/ports';
import { storedProblemSchema } from '../../app/projection';
import { INTEGRITY_STATES } from '../../domain/documents/health-document';
import { RAGS } from '../../domain/rag';
import { jsonText } from './statements';

/** The columns of a row every reader of whole rows or entries needs: who may see it, and how it was verified. */
export const ROW_COLUMNS = 'issue_id, issue_key, security_level_id, owner_name, integrity, rag, written_at, problem';

const rowShape = {
  issue_id: z.string(),
  issue_key: z.string(),
  security_level_id: z.string().nullable(),
  owner_name: z.string().nullable(),
  integrity: z.enum(INTEGRITY_STATES),
  rag: z.enum([...RAGS, 'none']),
  written_at: z.string(),
  problem: jsonText.pipe(storedProblemSchema).nullable(),
};

function rowOf(row: z.output<z.ZodObject<typeof rowShape>>): Omit<StoredProjection, 'facts'> {
  return {
    issueId: row.issue_id,
    key: row.issue_key,
    securityLevelId: row.security_level_id,
    ownerName: row.owner_name,
    integrity: row.integrity,
    rag: row.rag,
    writtenAt: row.written_at,
    problem: row.problem,
  };
}

export const STORED_COLUMNS = `${ROW_COLUMNS}, facts`;

export const storedRowSchema = z
  .object({ ...rowShape, facts: jsonText })
  .transform((row): StoredProjection => ({ ...rowOf(row), facts: row.facts }));

// A DATE is sent as text by its own rule (CAST), not as whatever the driver makes of a date in its time zone.
export const ENTRY_COLUMNS = `${ROW_COLUMNS}, waits_on, CAST(judged_on AS CHAR) AS judged_on, entry`;

export const storedEntrySchema = z
  .object({
    ...rowShape,
    waits_on: jsonText.pipe(z.array(z.string())),
    judged_on: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    entry: jsonText.nullable(),
  })
  .transform((row): StoredEntryRow => ({
    ...rowOf(row),
    waitsOn: row.waits_on,
    judgedOn: row.judged_on,
    entry: row.entry,
  }));
