/**
 * Sending statements to Forge SQL (@forge/sql): one parameterised statement at a time (Forge's query policy), the
 * schema made on demand, a statement refused for the per-second limit sent once more, and answers validated row by
 * row so one damaged row never breaks a page.
 * @see https://developer.atlassian.com/platform/forge/storage-reference/sql-api/
 */
import { ForgeSQLAPIError, migrationRunner, sql } from '@forge/sql';
import { z } from 'zod';
import { UnavailableError } from '../../app/errors';
import { READ_MODEL_MIGRATIONS } from './read-model-schema';

/** One value a statement binds. */
export type SqlValue = string | number | null;

/** MySQL's "Table doesn't exist" and "Unknown column": the schema is older than this code (see `run`). */
const ER_NO_SUCH_TABLE = 1146;
const ER_BAD_FIELD = 1054;

/**
 * Items in order, in batches of at most `maxItems` and, where an item alone is not larger, `maxBytes` by `sizeOf`:
 * what fits one Forge SQL request (writes) or one answer (reads).
 */
export function batches<T>(
  items: readonly T[],
  sizeOf: (item: T) => number,
  maxItems: number,
  maxBytes: number,
): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = sizeOf(item);
    if (current.length > 0 && (current.length >= maxItems || bytes + size > maxBytes)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}

export const placeholders = (count: number): string => Array.from({ length: count }, () => '?').join(', ');

export const jsonText = z.string().transform((text, context) => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    context.issues.push({ code: 'custom', message: 'not JSON', input: text });
    return z.NEVER;
  }
});

function errnoOf(error: unknown): number | undefined {
  if (!(error instanceof ForgeSQLAPIError)) return undefined;
  const debug = (error.context as { debug?: { errno?: unknown } }).debug;
  return typeof debug?.errno === 'number' ? debug.errno : undefined;
}

function busy(error: unknown): boolean {
  return (
    error instanceof ForgeSQLAPIError &&
    (error.code === 'RATE_LIMIT_EXCEEDED' || error.code === 'QUERY_TIMED_OUT' || error.responseDetails.status === 429)
  );
}

async function migrate(): Promise<void> {
  for (const { name, statement } of READ_MODEL_MIGRATIONS) migrationRunner.enqueue(name, statement);
  await migrationRunner.run();
}

/** How long a statement Forge SQL refused for its per-second limit waits before it is sent once more. */
const RATE_LIMIT_PAUSE_MS = 1000;

function rateLimited(error: unknown): boolean {
  return (
    error instanceof ForgeSQLAPIError && (error.code === 'RATE_LIMIT_EXCEEDED' || error.responseDetails.status === 429)
  );
}

/**
 * Runs one statement; makes the schema and tries again when its table or a column is missing, and sends it once more
 * a second later when Forge SQL refused it for its per-second request limit (150 DML a second, per installation).
 * @throws {UnavailableError} when Forge SQL is still rate-limited or the statement timed out; the SDK's errors
 *   otherwise.
 */
export async function run<T>(query: string, params: readonly SqlValue[]): Promise<T[]> {
  const send = async () =>
    (
      await sql
        .prepare<T>(query)
        .bindParams(...params)
        .execute()
    ).rows as T[];
  const sendMigrated = async () => {
    try {
      return await send();
    } catch (error) {
      const errno = errnoOf(error);
      if (errno !== ER_NO_SUCH_TABLE && errno !== ER_BAD_FIELD) throw error;
      await migrate();
      return await send();
    }
  };
  try {
    try {
      return await sendMigrated();
    } catch (error) {
      if (!rateLimited(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, RATE_LIMIT_PAUSE_MS));
      return await sendMigrated();
    }
  } catch (error) {
    if (busy(error)) throw new UnavailableError('Forge SQL is busy for this site; try again in a minute.');
    throw error;
  }
}

/** Runs one INSERT, UPDATE or DELETE (see `run`) and says how many rows it changed. */
export async function runDml(query: string, params: readonly SqlValue[]): Promise<number> {
  const header = (await run<unknown>(query, params)) as unknown as { affectedRows?: unknown };
  return typeof header.affectedRows === 'number' ? header.affectedRows : 0;
}

/** Rows that do not parse are left out (and logged): one damaged row must not break a page. */
export function parsedRows<S extends z.ZodType>(schema: S, rows: readonly unknown[]): Array<z.output<S>> {
  return rows.flatMap((row) => {
    const parsed = schema.safeParse(row);
    if (parsed.success) return [parsed.data];
    console.error('Tollgate left out a read-model row that does not parse:', parsed.error.message);
    return [];
  });
}

/** Ids one `IN (…)` names: the statement stays a few KB, far inside Forge SQL's 1 MiB request. */
export const IDS_PER_STATEMENT = 1000;
/**
 * Bytes of stored JSON (facts or entries) one SELECT of whole rows may carry: Forge SQL answers with at most 4 MiB,
 * and the other columns and the answer's JSON framing (escaped quotes in the JSON) need the rest.
 */
const JSON_BYTES_PER_READ = 2 * 1024 * 1024;

/** A row's id and the size of its stored JSON, chosen before the rows themselves are read. */
export const idSizeSchema = z.object({ issue_id: z.string(), size: z.coerce.number().int().min(0) });

/** Ids in groups whose stored JSON fits one SELECT's answer. */
export function readGroups(rows: ReadonlyArray<z.output<typeof idSizeSchema>>): string[][] {
  return batches(rows, (row) => row.size, IDS_PER_STATEMENT, JSON_BYTES_PER_READ).map((group) =>
    group.map((row) => row.issue_id),
  );
}
