/**
 * The portfolio page's bridge contract (`portfolio/load`, `portfolio/firstRows`, `portfolio/csv`): what the page may
 * ask for and what it gets back. Filtering, sorting and paging happen on the server (docs/architecture.md §5), so the
 * payload carries them and the response carries one page of rows plus the aggregates of the whole scope. static/
 * imports this file (docs/conventions.md rule 11); it depends only on the pure domain.
 */
import { z } from 'zod';
import { GATE_OUTCOMES, type GateOutcome, PROJECT_STATUSES } from '../domain/gates';
import {
  KPI_IDS,
  type ExceptionEntry,
  type GatePassage,
  type Kpi,
  type Period,
  type PortfolioCounts,
  type ProjectRow,
  type RaidHygieneKpi,
  type SortKey,
  type StageCount,
} from '../domain/portfolio';
import { RAGS, type RagOrNone, type Reason } from '../domain/rag';
import { RISK_LEVELS, type RiskBand, type RiskLevel, type RiskScore } from '../domain/risk';
import { enteredDateSchema, type Instant, type IsoDate } from '../domain/time';
import { type InflationFlag, type TrendPoint } from '../domain/trend';

/** Most rows one page carries: a table a person reads, and far below Forge's 5 MB response limit. */
export const MAX_PAGE_SIZE = 100;
/** Rows a page carries when the payload does not say. */
export const DEFAULT_PAGE_SIZE = 50;

// Written as a record so the compiler insists every sortable column is listed, and nothing else.
const SORTABLE: Readonly<Record<SortKey, true>> = {
  key: true,
  summary: true,
  owner: true,
  department: true,
  stage: true,
  status: true,
  rag: true,
  ragSchedule: true,
  ragGate: true,
  ragRisk: true,
  ragRaid: true,
  ragBudget: true,
  ragTolerance: true,
  ragStaleness: true,
  lastDecision: true,
  riskMax: true,
  mandatoryOpen: true,
  nextGateDate: true,
  dueDate: true,
  wsjf: true,
  roi: true,
};
/** Every column the table sorts by. */
export const SORT_KEYS = Object.keys(SORTABLE) as [SortKey, ...SortKey[]];

const riskLevelSchema = z.literal([...RISK_LEVELS]);
const listOf = <T extends z.ZodType>(item: T, max: number) => z.array(item).max(max).optional();

/** What the table can be filtered by (every list is "any of"; absent or empty matches all). */
export const rowFilterSchema = z
  .object({
    rag: listOf(z.enum([...RAGS, 'none']), 4),
    /** Stage names or ids. */
    stage: listOf(z.string().trim().min(1).max(80), 50),
    /** Owner account ids. */
    owner: listOf(z.string().trim().min(1).max(128), 100),
    department: listOf(z.string().trim().min(1).max(255), 100),
    decision: listOf(z.enum([...GATE_OUTCOMES, 'none']), 6),
    status: listOf(z.enum([...PROJECT_STATUSES, 'ungoverned']), 5),
    /** Case-insensitive search in key and summary. */
    text: z.string().max(200).optional(),
    /** A square of the residual heat map: projects with an open risk there. */
    cell: z.object({ likelihood: riskLevelSchema, impact: riskLevelSchema }).strict().optional(),
    /** The projects a KPI counts: what a clicked KPI tile shows. */
    kpi: z.enum(KPI_IDS).optional(),
  })
  .strict();
/** A validated filter. */
export type RowFilterPayload = z.infer<typeof rowFilterSchema>;

/** Sort order; the default puts the reds on top, which is what a PMO opens the page for. */
export const rowSortSchema = z
  .object({ by: z.enum(SORT_KEYS).default('rag'), direction: z.enum(['asc', 'desc']).default('desc') })
  .strict();

/** Which page of the filtered, sorted rows. */
export const pageSchema = z
  .object({
    offset: z.number().int().min(0).max(1_000_000).default(0),
    limit: z.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
  })
  .strict();

/**
 * True when every parenthesis outside quoted strings is closed in order. A narrowing clause is wrapped in
 * parentheses and ANDed with the registry JQL; an unbalanced one (`x) OR (y`) would escape the wrapper and widen
 * the read past the registry.
 */
export function parenthesesBalanced(jql: string): boolean {
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < jql.length; i += 1) {
    const char = jql[i];
    if (quote !== null) {
      if (char === '\\') i += 1;
      else if (char === quote) quote = null;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '(') depth += 1;
    else if (char === ')' && --depth < 0) return false;
  }
  return depth === 0 && quote === null;
}

/** The longest JQL clause a view may narrow the registry with. */
export const MAX_NARROWING_JQL = 1000;

/**
 * Narrows the registry (the admin's JQL) further, as a steering-committee macro does for one department. It can
 * only narrow: the server ANDs it with the registry JQL.
 */
export const narrowingJqlSchema = z
  .string()
  .trim()
  .min(1)
  .max(MAX_NARROWING_JQL)
  .refine(parenthesesBalanced, 'the JQL has unbalanced parentheses or quotes');

/** `portfolio/load`. */
export const portfolioLoadPayloadSchema = z
  .object({
    filter: rowFilterSchema.prefault({}),
    sort: rowSortSchema.prefault({}),
    page: pageSchema.prefault({}),
    jql: narrowingJqlSchema.optional(),
    /** Also show each project's RAG as the weekly snapshot of this day's week recorded it. */
    asOf: enteredDateSchema.optional(),
    /** Also say what changed from `from` to `to` (today, live, when absent): a steering committee's "since we met". */
    compare: z
      .object({ from: enteredDateSchema, to: enteredDateSchema.optional() })
      .strict()
      .refine((range) => range.to === undefined || range.from < range.to, 'the first day must come before the second')
      .optional(),
  })
  .strict();
/** A validated `portfolio/load` payload. */
export type PortfolioLoadPayload = z.infer<typeof portfolioLoadPayloadSchema>;

/**
 * Rows one `portfolio/csv` answer carries at most: ~190 bytes a row is ~1 MB, and even rows of long summaries and
 * reasons stay far under Forge's 5 MB response (the part also stops at CSV_PART_BYTES, whichever comes first).
 */
export const CSV_PART_ROWS = 5000;
/** Bytes of CSV one answer carries at most, leaving room under Forge's 5 MB for the JSON it travels in. */
export const CSV_PART_BYTES = 3 * 1024 * 1024;

/** `portfolio/csv`: one part of the export of every row the filter keeps, in the sort order. */
export const portfolioCsvPayloadSchema = z
  .object({
    filter: rowFilterSchema.prefault({}),
    sort: rowSortSchema.prefault({}),
    jql: narrowingJqlSchema.optional(),
    /** The first row of this part (0: the part that starts with the header line). */
    offset: z.number().int().min(0).max(1_000_000).default(0),
    /** Rows this part may carry at most. */
    limit: z.number().int().min(1).max(CSV_PART_ROWS).default(CSV_PART_ROWS),
  })
  .strict();
/** A validated `portfolio/csv` payload. */
export type PortfolioCsvPayload = z.infer<typeof portfolioCsvPayloadSchema>;

/**
 * Sorts the first rows can be chosen in from the read model's stored health: numeric values, ordered as the table
 * orders them (`rag` by severity). Any other sort waits for the full load.
 */
export const FIRST_ROWS_SORT_KEYS = ['rag', 'riskMax', 'mandatoryOpen'] as const satisfies readonly SortKey[];

/**
 * `portfolio/firstRows`: the first page of the unfiltered table from the read model, for the page to paint while
 * `portfolio/load` counts the whole portfolio. No filter and no narrowing JQL: those need every row.
 */
export const portfolioFirstRowsPayloadSchema = z
  .object({
    sort: z
      .object({
        by: z.enum(FIRST_ROWS_SORT_KEYS).default('rag'),
        direction: z.enum(['asc', 'desc']).default('desc'),
      })
      .strict()
      .prefault({}),
    limit: z.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
  })
  .strict();
/** A validated `portfolio/firstRows` payload. */
export type PortfolioFirstRowsPayload = z.infer<typeof portfolioFirstRowsPayloadSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Responses

/**
 * How far the row's governance data can be trusted, judged from its signatures (see portfolio-use-case.ts for why
 * the portfolio does not read the ledger).
 */
export type RowIntegrity = 'ok' | 'unsigned' | 'tampered';

/** Why a row could not be judged normally; the row is still shown, with this on it. */
export interface RowError {
  /** `issue`: Jira's answer for the issue could not be read; otherwise the document that is damaged. */
  readonly source: 'issue' | 'governance' | 'raid';
  /** A document error code (`invalid`, `newer-schema`, …), `unreadable`, `inconsistent` or `in-flight`. */
  readonly code: string;
  readonly message: string;
  readonly problems: readonly string[];
}

/** One row of the portfolio table. */
export interface PortfolioRow extends ProjectRow {
  /** null only for an issue Jira returned in a shape that could not be read. */
  readonly issueId: string | null;
  readonly ownerName: string | null;
  /** null for an issue that could not be read, so nothing was judged. */
  readonly integrity: RowIntegrity | null;
  /** The worst reasons with their parameters, so the page can say them in the reader's language. */
  readonly why: readonly Reason[];
  readonly error: RowError | null;
}

/** A page of rows from the filtered, sorted table. */
export interface RowsPage {
  readonly rows: readonly PortfolioRow[];
  /** Rows the filter keeps (all pages). */
  readonly total: number;
  readonly offset: number;
  readonly limit: number;
  readonly nextOffset: number | null;
}

/** One square of the portfolio heat map, without the risk ids: the page drills in with the `cell` filter. */
export interface HeatMapSquare {
  readonly likelihood: RiskLevel;
  readonly impact: RiskLevel;
  readonly score: RiskScore;
  readonly band: RiskBand;
  readonly count: number;
}

/** The residual heat map of every live project in scope. */
export interface PortfolioHeatMap {
  readonly basis: 'residual';
  readonly total: number;
  readonly totals: Readonly<Record<RiskBand, number>>;
  /** Likelihood-major: `squares[(likelihood - 1) * 5 + (impact - 1)]`. */
  readonly squares: readonly HeatMapSquare[];
}

/** The KPIs, each with numerator and denominator. */
export interface PortfolioKpiView {
  /** The reporting period: the last 90 days. */
  readonly period: Period;
  readonly gateCompliance: Kpi & {
    /** The latest passages that did not comply (at most 20), so "why only 7 of 9?" has an answer. */
    readonly nonCompliant: readonly GatePassage[];
  };
  readonly onTime: Kpi;
  readonly budgetAdherence: Kpi;
  readonly raidHygiene: RaidHygieneKpi;
}

/** A list that may have been cut to keep the response small. */
export interface Capped<T> {
  readonly total: number;
  readonly items: readonly T[];
}

/** The RAG of each project in scope as a weekly snapshot recorded it. */
export interface SnapshotView {
  /** The day asked for. */
  readonly requested: IsoDate;
  /** The snapshot used (the latest in or before that week); null when there was none. */
  readonly week: IsoDate | null;
  readonly byRag: Readonly<Record<RagOrNone, number>>;
  /** In scope and in the snapshot, worst first; capped like a page. */
  readonly rows: Capped<{ readonly key: string; readonly summary: string; readonly rag: RagOrNone }>;
}

/** One project whose RAG or worst risk band moved between the two days. */
export interface ChangeItem<T> {
  readonly key: string;
  readonly summary: string;
  /** Null when the first day's snapshot did not have the project (new in the registry since). */
  readonly from: T | null;
  readonly to: T;
}

/** What changed between two days (src/domain/changes.ts), for the projects the person may see today. */
export interface ChangesView {
  /** The first day asked for, and the snapshot it is read from (the latest in or before its week; null: none). */
  readonly from: { readonly requested: IsoDate; readonly week: IsoDate | null };
  /** The second day, and its snapshot; `week` null and `live` true when it is today's live portfolio. */
  readonly to: { readonly requested: IsoDate; readonly week: IsoDate | null; readonly live: boolean };
  /** The earliest snapshot there is, to say so when the first day has none. */
  readonly earliestWeek: IsoDate | null;
  readonly newReds: Capped<ChangeItem<RagOrNone>>;
  readonly worse: Capped<ChangeItem<RagOrNone>>;
  readonly better: Capped<ChangeItem<RagOrNone>>;
  /** Null when the first day's snapshot kept no risk bands (taken before they were kept). */
  readonly risksUp: Capped<ChangeItem<RiskBand | 'none'>> | null;
  readonly risksDown: Capped<ChangeItem<RiskBand | 'none'>> | null;
  /** Gate decisions recorded after the first day and up to the second, latest first. */
  readonly decisions: Capped<{
    readonly key: string;
    readonly summary: string;
    readonly gate: string;
    readonly outcome: GateOutcome;
    readonly day: IsoDate;
  }>;
  /** Projects in the registry on the second day that the first day's snapshot did not have. */
  readonly added: number;
}

/** Values the filters can offer, from the whole scope. */
export interface PortfolioFacets {
  readonly owners: ReadonlyArray<{ readonly accountId: string; readonly name: string | null; readonly count: number }>;
  readonly departments: ReadonlyArray<{ readonly name: string; readonly count: number }>;
  /** Projects by their last gate decision, in the order of GATE_OUTCOMES with `none` last; only those that occur. */
  readonly decisions: ReadonlyArray<{ readonly outcome: GateOutcome | 'none'; readonly count: number }>;
  /** Stage names in lifecycle order. */
  readonly stages: readonly string[];
}

/** `portfolio/load`'s answer. Aggregates cover the whole scope; the filter narrows only the rows. */
/**
 * The templates' names in the reader's language, keyed by their English text as the rows and reasons hold it
 * (`param.stage.Discovery` → "Utforsking"; src/domain/template-words.ts); empty in English.
 */
export type TemplateTerms = Readonly<Record<string, string>>;

export interface PortfolioData {
  /** The templates' stage, gate and criterion names in the reader's language. */
  readonly terms: TemplateTerms;
  /** The day health was computed for. */
  readonly today: IsoDate;
  readonly computedAt: Instant;
  readonly scope: {
    /** Projects Jira returned to this person (rows, including unreadable ones). */
    readonly projects: number;
    /** Rows carrying an error. */
    readonly withErrors: number;
    /**
     * Rows Tollgate is still bringing up to date after an upgrade (stored by an older version): listed, but left out
     * of every figure until rewritten.
     */
    readonly pending: number;
    /**
     * When the oldest row shown was last checked against Jira (its ledger read, its documents verified): a change
     * made behind Tollgate's back through Jira's REST API shows in the portfolio after that check. Null when no
     * project is shown.
     */
    readonly checkedAt: Instant | null;
    /**
     * Projects a narrowing JQL named that Jira would not search for this person: they do not exist, or the person
     * cannot browse them (Jira words both alike). The view left them out; empty without a narrowing.
     */
    readonly unseenProjects: readonly string[];
  };
  readonly page: RowsPage;
  readonly counts: PortfolioCounts;
  readonly kpis: PortfolioKpiView;
  readonly exceptions: Capped<ExceptionEntry>;
  readonly heatMap: PortfolioHeatMap;
  /** Live projects by stage, in lifecycle order (closed projects are not in the pipeline). */
  readonly funnel: readonly StageCount[];
  readonly trend: {
    readonly weeks: readonly TrendPoint[];
    readonly inflation: Capped<InflationFlag>;
    /** The earliest snapshot read (from the trend's first week on), so an empty trend never says "none yet" wrongly. */
    readonly earliestWeek: IsoDate | null;
  };
  readonly facets: PortfolioFacets;
  /** Rows whose stored `tollgate-health` was out of date and were queued for a background rewrite. */
  readonly staleQueued: number;
  readonly snapshot: SnapshotView | null;
  /** What changed between two days, when asked (`compare`). */
  readonly changes: ChangesView | null;
}

/**
 * `portfolio/csv`'s answer: one part of the file. The parts, asked for from `nextOffset` until it is null and joined
 * in order, are the whole file; only the first starts with the header line.
 */
export interface PortfolioCsv {
  readonly filename: string;
  readonly csv: string;
  /** Rows in this part. */
  readonly rows: number;
  /** Rows the filter keeps in all. */
  readonly total: number;
  /** Where the next part starts; null for the last. */
  readonly nextOffset: number | null;
}

/**
 * `portfolio/firstRows`' answer: rows judged as `portfolio/load` judges them (health recomputed for today from the
 * facts the read model holds, with red from the projects they wait on as far as the reader may see them), but chosen
 * and ordered by the health stored at the project's last refresh, and with the integrity verdict of that refresh. So
 * they are provisional until the full load replaces them.
 */
export interface PortfolioFirstRows {
  readonly provisional: true;
  readonly today: IsoDate;
  readonly computedAt: Instant;
  readonly rows: readonly PortfolioRow[];
  readonly terms: TemplateTerms;
}
