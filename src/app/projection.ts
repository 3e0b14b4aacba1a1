/**
 * A project as Tollgate's read model in Forge SQL holds it (docs/architecture.md §5a): the verified facts it was
 * judged on, the health judged from them on its own facts, and who may see it (its Jira project and issue security
 * level). Built where health is refreshed — after every committed op, restore and recompute — so the model never
 * holds anything the app did not verify: users cannot write Forge SQL, so a row is as trustworthy as the ledger
 * check that produced it.
 *
 * The row keeps the verdict as an entry (what the portfolio's figures read, judged on the project's own facts) and
 * the facts it came from, so a reader can judge the row again with today's date and with the red of the projects it
 * waits on as that reader may see them, exactly as the panel does, where the stored entry will not do.
 */
import { z } from 'zod';
import { type RowError } from '../contract/portfolio';
import { governanceDocumentSchema } from '../domain/documents/governance-document';
import { type Integrity, type HealthDocument } from '../domain/documents/health-document';
import { evmInputSchema } from '../domain/evm';
import { type ProjectFacts, type ProjectHealth } from '../domain/health';
import { type PortfolioEntry, portfolioEntry } from '../domain/portfolio';
import { type RagOrNone, ragSeverity } from '../domain/rag';
import { raidItemSchema, RAID_TYPES, type RaidType } from '../domain/raid';
import { type StageGateTemplate, type TemplateRef } from '../domain/templates';
import { dayOf, type IsoDate } from '../domain/time';
import { type RegistryIssue } from './ports';
import { type ProjectDocuments } from './project-documents';

/** The facts without their template, which the reader looks up again from the governance document's reference. */
export type StoredFacts = Omit<ProjectFacts, 'template'> & {
  /** The shape's version (FACTS_VERSION); absent in rows written before it was recorded. */
  readonly v?: number;
};

/**
 * The version of the stored facts' shape. A row of this version was written by this code from documents it had just
 * verified, and nobody else can write Forge SQL, so a reader takes it as it is rather than validating every field of
 * every row again on every view (at 10,000 projects that validation was most of a view's time). A row of any other
 * version is validated in full (storedFactsSchema). Raise it whenever ProjectFacts changes shape.
 */
export const FACTS_VERSION = 1;

/** One row of the read model. */
export interface Projection {
  readonly issueId: string;
  readonly key: string;
  readonly jiraProjectId: string;
  readonly securityLevelId: string | null;
  readonly ownerName: string | null;
  /** The ledger-based verdict the refresh wrote into `tollgate-health`. */
  readonly integrity: Integrity;
  /** The health judged on the project's own facts (what `tollgate-health` stores), for choosing and ordering rows. */
  readonly rag: RagOrNone;
  readonly severity: number;
  readonly riskMax: number;
  readonly mandatoryOpen: number;
  readonly waitsOn: readonly string[];
  readonly facts: StoredFacts;
  /** What the portfolio's figures read of the project as judged on `judgedOn` (see ENTRY_VERSION). */
  readonly entry: StoredEntry;
  /** Why the record is left out, in the damaged document's own words; null when nothing is damaged. */
  readonly problem: RowError | null;
  /** The `tollgate-health` document as written to Jira, which the daily run compares today's verdict with. */
  readonly health: HealthDocument;
  readonly judgedOn: IsoDate;
  /** When the row was written (the refresh's clock). */
  readonly writtenAt: string;
}

/**
 * The read-model row for a project whose health was just refreshed; null for an issue Jira did not name a project
 * for, which no permission check could then show to anyone.
 */
export function projectionOf(
  issue: RegistryIssue,
  facts: ProjectFacts,
  health: ProjectHealth,
  document: HealthDocument,
  ownerName: string | null,
  problem: RowError | null = null,
): Projection | null {
  if (issue.projectId === null) return null;
  const { template: _template, ...stored } = facts;
  return {
    issueId: issue.id,
    key: issue.key,
    jiraProjectId: issue.projectId,
    securityLevelId: issue.securityLevelId,
    ownerName,
    integrity: document.integrity,
    rag: health.overall,
    severity: ragSeverity(health.overall),
    riskMax: health.summary.riskMax,
    mandatoryOpen: health.summary.mandatoryOpen,
    waitsOn: health.summary.waitsOn,
    facts: { ...stored, v: FACTS_VERSION },
    entry: storedEntryOf(facts, health),
    problem,
    health: document,
    judgedOn: dayOf(document.computedAt),
    writtenAt: document.computedAt,
  };
}

/**
 * The version of the stored entries' shape (PortfolioEntry). As with FACTS_VERSION, an entry of this version was
 * written by this code and is taken as it is; one of any other version, or none, is not used: the reader judges that
 * row from its facts instead (stored-rows.ts). Raise it whenever PortfolioEntry changes shape.
 */
export const ENTRY_VERSION = 2;

/** An entry as stored, with its shape's version. */
export type StoredEntry = PortfolioEntry & { readonly v: number };

/** The stored entry of a project judged on its own facts. */
export function storedEntryOf(facts: ProjectFacts, health: ProjectHealth): StoredEntry {
  return { ...portfolioEntry({ facts, health, standalone: health }), v: ENTRY_VERSION };
}

/** The entry a stored value holds, when this code wrote it; null otherwise (an older version, or damage). */
export function entryOf(raw: unknown): PortfolioEntry | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const entry = raw as {
    v?: unknown;
    row?: { key?: unknown } | null;
    kpi?: unknown;
    risks?: unknown;
    why?: unknown;
    decisions?: unknown;
  };
  const current =
    entry.v === ENTRY_VERSION &&
    typeof entry.row === 'object' &&
    entry.row !== null &&
    typeof entry.row.key === 'string' &&
    typeof entry.kpi === 'object' &&
    entry.kpi !== null &&
    Array.isArray(entry.risks) &&
    Array.isArray(entry.why) &&
    Array.isArray(entry.decisions);
  return current ? (raw as PortfolioEntry) : null;
}

/**
 * Why a project's record is left out, from its documents as the recompute read them: a document that does not parse
 * says so in its own words, and a record deleted from a project Tollgate recorded as governed says that; null for
 * anything else (a failed signature is said by the integrity verdict).
 */
export function documentProblem(
  docs: Pick<ProjectDocuments, 'governance' | 'raid'>,
  deleted: boolean,
): RowError | null {
  if (docs.governance && !docs.governance.ok) {
    const { code, message, problems } = docs.governance.error;
    return { source: 'governance', code, message, problems };
  }
  if (!docs.raid.ok) {
    const { code, message, problems } = docs.raid.error;
    return { source: 'raid', code, message, problems };
  }
  if (deleted) {
    return {
      source: 'governance',
      code: 'missing',
      message: 'Its stage-gate record is gone, although Tollgate recorded the project as governed.',
      problems: [],
    };
  }
  return null;
}

/** What a stored `problem` column must hold. */
export const storedProblemSchema = z.object({
  source: z.enum(['issue', 'governance', 'raid']),
  code: z.string(),
  message: z.string(),
  problems: z.array(z.string()),
});

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/**
 * What a stored facts column must hold. The read model is the app's own, but a row written by an older version, or
 * damaged, must fail here as one row, not as the page.
 */
export const storedFactsSchema = z.object({
  key: z.string().min(1),
  summary: z.string(),
  governance: governanceDocumentSchema.nullable(),
  raid: z.object({
    items: z.array(raidItemSchema),
    nextSeq: z.object(
      Object.fromEntries(RAID_TYPES.map((type) => [type, z.number().int().min(1)])) as Record<RaidType, z.ZodNumber>,
    ),
  }),
  dueDate: isoDay.optional(),
  startDate: isoDay.optional(),
  createdAt: z.string(),
  progress: z.number().min(0).max(1).optional(),
  evm: evmInputSchema.optional(),
  owner: z.string().optional(),
  department: z.string().optional(),
  jiraStatusCategory: z.enum(['new', 'indeterminate', 'done']).optional(),
});

/** A row this code wrote (FACTS_VERSION), with the top-level shape every reader relies on. */
function isCurrent(raw: unknown): raw is StoredFacts {
  if (typeof raw !== 'object' || raw === null) return false;
  const facts = raw as { v?: unknown; key?: unknown; governance?: unknown; raid?: { items?: unknown } | null };
  return (
    facts.v === FACTS_VERSION &&
    typeof facts.key === 'string' &&
    (facts.governance === null || typeof facts.governance === 'object') &&
    typeof facts.raid === 'object' &&
    facts.raid !== null &&
    Array.isArray(facts.raid.items)
  );
}

/**
 * The facts again, with the template their governance names; null when the stored value does not parse. Rows of
 * the current version are taken as written (see FACTS_VERSION); a reader still judges each apart when judging them
 * together fails (stored-rows.ts), so even a damaged current row costs only itself.
 */
export function factsOf(
  raw: unknown,
  templateFor: (ref: TemplateRef) => StageGateTemplate | undefined,
): ProjectFacts | null {
  let stored: StoredFacts;
  if (isCurrent(raw)) {
    stored = raw;
  } else {
    const parsed = storedFactsSchema.safeParse(raw);
    if (!parsed.success) return null;
    stored = parsed.data;
  }
  const governance = stored.governance;
  const template = governance
    ? (templateFor({ templateId: governance.templateId, templateVersion: governance.templateVersion }) ?? null)
    : null;
  return { ...stored, template };
}
