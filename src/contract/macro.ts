/**
 * The steering-committee macro's contract (`macro/load`, and the `adfExport` function): its configuration, as the
 * macro's config panel saves it into `context.extension.config`, and the data it shows. Every view answers with the
 * same table model, so the live macro and the Word/PDF export show the same rows (docs/pmo-rules.md, "What no existing
 * tool does well" 2). static/ imports this file (docs/conventions.md rule 11).
 */
import { z } from 'zod';
import { type CsvKey, DEFAULT_CSV_COLUMNS } from '../domain/portfolio';
import { type RagOrNone } from '../domain/rag';
import { issueKeySchema } from '../domain/raid';
import { type RiskBand } from '../domain/risk';
import { enteredDateSchema, type Instant, type IsoDate } from '../domain/time';
import { narrowingJqlSchema } from './portfolio';

/** What a macro can show. */
export const MACRO_VIEWS = [
  'portfolio-table',
  'project-status',
  'heat-map',
  'decision-log',
  'exceptions',
  'changes',
] as const;
/** One of the views a macro can show. */
export type MacroView = (typeof MACRO_VIEWS)[number];

/** Columns the portfolio table can show: those of the CSV export. */
export const MACRO_COLUMNS = DEFAULT_CSV_COLUMNS.map((column) => column.key) as [CsvKey, ...CsvKey[]];
/** What a steering committee reads first when the macro's author picked no columns. */
export const DEFAULT_MACRO_COLUMNS: readonly CsvKey[] = [
  'key',
  'summary',
  'owner',
  'stageName',
  'rag',
  'lastDecision',
  'nextGateDate',
];

/** Most rows a macro shows: a page in a document, not a data dump. */
export const MAX_MACRO_ROWS = 100;

// A config panel saves a cleared field as "" (or null); that means "not set", not "invalid".
const unlessBlank = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' || value === null ? undefined : value), schema.optional());

/**
 * The macro's configuration. Unknown keys are ignored (the config panel may keep fields of another view), but
 * contradictions are refused with a reason the macro's author can act on.
 */
export const macroConfigSchema = z
  .object({
    view: z.enum(MACRO_VIEWS).default('portfolio-table'),
    /** Narrows the registry (ANDed with the registry JQL); for every view but project-status. */
    jql: unlessBlank(narrowingJqlSchema),
    /** One registry project: required for project-status, optional scope for the others. */
    projectKey: unlessBlank(issueKeySchema),
    /** The portfolio table's columns, in order. */
    columns: z.array(z.enum(MACRO_COLUMNS)).min(1).max(MACRO_COLUMNS.length).optional(),
    /** Absent: live. A day: as the weekly snapshot of that day's week recorded it. */
    asOf: unlessBlank(enteredDateSchema),
    /** The changes view: what changed since this day (the last steering committee), up to `asOf` or today. */
    since: unlessBlank(enteredDateSchema),
    limit: z.number().int().min(1).max(MAX_MACRO_ROWS).default(25),
  })
  .superRefine((config, ctx) => {
    if (config.view === 'project-status' && config.projectKey === undefined) {
      ctx.addIssue({ code: 'custom', path: ['projectKey'], message: 'the project status view needs a project key' });
    }
    if (config.jql !== undefined && config.projectKey !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['jql'], message: 'give a JQL query or a project key, not both' });
    }
    if (config.view === 'changes' && config.since === undefined) {
      ctx.addIssue({ code: 'custom', path: ['since'], message: 'the changes view needs the day to compare from' });
    }
    if (
      config.view === 'changes' &&
      config.since !== undefined &&
      config.asOf !== undefined &&
      config.since >= config.asOf
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['since'],
        message: 'the day to compare from must come before the as-of day',
      });
    }
    if (config.view === 'heat-map' && config.asOf !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['asOf'],
        message: 'the heat map is live only: weekly snapshots keep each project’s RAG, not its risks',
      });
    }
  });
/** A validated macro configuration. */
export type MacroConfig = z.infer<typeof macroConfigSchema>;

/**
 * `macro/load`'s validated input: the configuration comes from Forge's context (what the page's author saved), never
 * from the payload, so a reader cannot make someone else's macro show something else.
 */
export const macroLoadSchema = z.object({
  // A macro nobody configured yet has no config (or, from some editors, null): both are the defaults, as in the export.
  config: z.preprocess((config) => config ?? undefined, macroConfigSchema.prefault({})),
});

/**
 * `macro/checkScope`: the JQL clause the macro's author is typing, checked before the settings are saved. The answer
 * counts, as the author, the registry projects it leaves them: a clause Jira refuses (a project that does not exist,
 * or that the author cannot see, which Jira words alike) would otherwise show an empty report.
 */
export const macroScopeCheckSchema = z.strictObject({ jql: narrowingJqlSchema });
export type MacroScopeCheckPayload = z.input<typeof macroScopeCheckSchema>;

/** How many registry projects the clause leaves the author, or why Jira refuses it, in Jira's words. */
export type MacroScopeCheck =
  { readonly valid: true; readonly count: number } | { readonly valid: false; readonly message: string };

/** One cell of a macro table. */
export type MacroCell =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'rag'; readonly rag: RagOrNone }
  | { readonly kind: 'user'; readonly accountId: string; readonly name: string | null }
  /** A calendar day, written as the reader writes dates. */
  | { readonly kind: 'date'; readonly day: IsoDate }
  /** A heat-map square: how many open risks sit there, coloured by its band. */
  | { readonly kind: 'risk'; readonly band: RiskBand; readonly count: number };

/** The table every view shows, live and in export. */
export interface MacroTable {
  readonly columns: ReadonlyArray<{ readonly id: string; readonly header: string }>;
  readonly rows: ReadonlyArray<{
    readonly id: string;
    /** The registry issue the row is about, for a link; null for rows that are not one project. */
    readonly issueKey: string | null;
    readonly cells: readonly MacroCell[];
  }>;
  /** Rows there are in all; more than `rows.length` when the table was cut at the configured limit. */
  readonly total: number;
}

/** `macro/load`'s answer, and what `adfExport` prints. */
export interface MacroData {
  readonly view: MacroView;
  readonly title: string;
  /** Key facts above the table (overall RAG, stage, counts), label first. */
  readonly summary: ReadonlyArray<{ readonly label: string; readonly cell: MacroCell }>;
  /** Sentences under the title: the as-of week, why rows are missing or cut. */
  readonly notes: readonly string[];
  /** Set for as-of views: the day asked for and the snapshot week used (null when there was none). */
  readonly asOf: { readonly requested: IsoDate; readonly week: IsoDate | null } | null;
  readonly table: MacroTable;
  readonly computedAt: Instant;
}
