/**
 * The steering-committee macro (docs/pmo-rules.md, "What no existing tool does well" 2): the portfolio table, one
 * project's status, the risk heat map, the gate decision log or the exceptions list, computed from the same read as
 * the Jira portfolio page, live or as a weekly snapshot recorded it. Every view becomes one table model, and the
 * `adfExport` document is printed from that model, so what a committee exports to Word or PDF is what it saw.
 *
 * The macro's words (titles, headers, reasons) are English: an exported steering document is one artefact that
 * circulates among its readers, whatever language each of them uses Jira in.
 */
import enUS from '../../locales/en-US.json';
import {
  DEFAULT_MACRO_COLUMNS,
  type MacroCell,
  type MacroConfig,
  type MacroData,
  type MacroTable,
} from '../contract/macro';
import { type PortfolioRow } from '../contract/portfolio';
import { HEALTH_DIMENSIONS, type ProjectHealth } from '../domain/health';
import { type Catalog, formatMessage } from '../domain/messages';
import { type CsvKey, DEFAULT_CSV_COLUMNS } from '../domain/portfolio';
import { type RagOrNone, type Reason } from '../domain/rag';
import { IMPACT_LEVELS, LIKELIHOOD_LEVELS, RISK_BANDS, type RiskBand } from '../domain/risk';
import { findGate } from '../domain/templates';
import { dayOf, type IsoDate } from '../domain/time';
import { mondayOf, snapshotRag, trendStart } from '../domain/trend';
import {
  doc,
  heading,
  mention,
  paragraph,
  ragStatus,
  status,
  type AdfDoc,
  type AdfInline,
  type StatusColour,
  table,
  tableCell,
  text,
} from './adf';
import { type AppDeps } from './deps';
import { loadProjectUseCase } from './load-project-use-case';
import { loadPortfolio, readPortfolioFacts } from './portfolio-use-case';

const CATALOG: Catalog = enUS;
/** Rows whose errors a note names; more would bury the table. */
const MAX_ERROR_NOTES = 5;

/** What `loadMacroData` is asked for. */
export interface MacroRequest {
  readonly accountId: string;
  readonly config: MacroConfig;
}

// A number that is not finite (a ratio over almost nothing) is no figure a steering committee can read: left empty.
const printable = (value: string | number | null | undefined): boolean =>
  value !== null && value !== undefined && (typeof value !== 'number' || Number.isFinite(value));
const txt = (value: string | number | null | undefined): MacroCell => ({
  kind: 'text',
  text: printable(value) ? String(value) : '',
});
const rag = (value: RagOrNone): MacroCell => ({ kind: 'rag', rag: value });

/** A reason in English, with its parameters filled in. */
export function reasonText(reason: Reason): string {
  return formatMessage(CATALOG, `reason.${reason.code}`, reason.params);
}

/** A coded value (an outcome, a status, a dimension) in English, capitalised for a table. */
function label(kind: string, value: string): string {
  const message = formatMessage(CATALOG, `param.${kind}.${value}`);
  const word = message === `param.${kind}.${value}` ? value.replace(/-/g, ' ') : message;
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** The scope clause a macro narrows the registry with. */
function narrowing(config: MacroConfig): string | undefined {
  // The project key passed issueKeySchema, so it cannot break out of the quotes.
  return config.jql ?? (config.projectKey === undefined ? undefined : `key = "${config.projectKey}"`);
}

const HEADERS = new Map<string, string>(DEFAULT_CSV_COLUMNS.map((column) => [column.key, column.header]));
const RAG_COLUMNS = new Set<CsvKey>([
  'rag',
  'ragSchedule',
  'ragGate',
  'ragRisk',
  'ragRaid',
  'ragBudget',
  'ragTolerance',
  'ragStaleness',
]);

function rowCell(row: PortfolioRow, column: CsvKey): MacroCell {
  if (RAG_COLUMNS.has(column)) return rag(row[column as 'rag']);
  switch (column) {
    case 'owner':
      return row.owner === null ? txt('') : { kind: 'user', accountId: row.owner, name: row.ownerName };
    case 'reasons':
      return txt(row.why.map(reasonText).join(' '));
    case 'status':
      return txt(label('status', row.status));
    case 'lastDecision':
      return txt(row.lastDecision === 'none' ? '' : label('outcome', row.lastDecision));
    case 'riskMax':
      return txt(row.riskMax === 0 ? '' : row.riskMax);
    default: {
      const value = row[column];
      return txt(Array.isArray(value) ? value.join('; ') : value);
    }
  }
}

function ragCounts(byRag: Readonly<Record<RagOrNone, number>>): MacroData['summary'] {
  return (['red', 'amber', 'green'] as const).map((value) => ({ label: label('rag', value), cell: txt(byRag[value]) }));
}

function errorNotes(rows: readonly PortfolioRow[]): string[] {
  const damaged = rows.filter((row) => row.error !== null && row.error.code !== 'in-flight');
  const notes = damaged.slice(0, MAX_ERROR_NOTES).map((row) => `${row.key}: ${row.error?.message ?? ''}`);
  if (damaged.length > MAX_ERROR_NOTES)
    notes.push(`${damaged.length - MAX_ERROR_NOTES} more projects have damaged data.`);
  return notes;
}

function asOfNote(requested: IsoDate, week: IsoDate | null): string {
  return week === null
    ? `No weekly snapshot was taken in or before the week of ${requested}.`
    : `As the weekly snapshot of the week of ${week} recorded it (asked for ${requested}).`;
}

/**
 * When the rows were last checked against Jira: a record changed through Jira's REST API behind Tollgate's back is
 * caught at the next check, so a committee reading an exported page can tell how fresh its verdicts are.
 */
function checkedNote(checkedAt: string | null): string[] {
  if (checkedAt === null) return [];
  return [`Every project shown was checked against Jira at or after ${checkedAt.slice(0, 16).replace('T', ' ')} UTC.`];
}

function cutNote(shown: number, total: number, what: string): string[] {
  return total > shown ? [`Showing ${shown} of ${total} ${what}.`] : [];
}

async function portfolioTable(deps: AppDeps, { accountId, config }: MacroRequest): Promise<MacroData> {
  const page = { offset: 0, limit: config.limit };
  const data = await loadPortfolio(deps, { accountId, jql: narrowing(config), page, asOf: config.asOf });
  const base = { view: config.view, title: 'Portfolio health', computedAt: data.computedAt };
  const checked = checkedNote(data.scope.checkedAt);
  if (data.snapshot) {
    const { snapshot } = data;
    return {
      ...base,
      summary: ragCounts(snapshot.byRag),
      notes: [
        asOfNote(snapshot.requested, snapshot.week),
        ...checked,
        ...cutNote(snapshot.rows.items.length, snapshot.rows.total, 'projects, worst first'),
      ],
      asOf: { requested: snapshot.requested, week: snapshot.week },
      table: {
        columns: [
          { id: 'key', header: 'Key' },
          { id: 'summary', header: 'Summary' },
          { id: 'rag', header: 'Health' },
        ],
        rows: snapshot.rows.items.map((row) => ({
          id: row.key,
          issueKey: row.key,
          cells: [txt(row.key), txt(row.summary), rag(row.rag)],
        })),
        total: snapshot.rows.total,
      },
    };
  }
  const columns = config.columns ?? DEFAULT_MACRO_COLUMNS;
  return {
    ...base,
    summary: [{ label: 'Projects', cell: txt(data.counts.total) }, ...ragCounts(data.counts.byRag)],
    notes: [
      ...checked,
      ...cutNote(data.page.rows.length, data.page.total, 'projects, worst first'),
      ...errorNotes(data.page.rows),
    ],
    asOf: null,
    table: {
      columns: columns.map((id) => ({ id, header: HEADERS.get(id) ?? id })),
      rows: data.page.rows.map((row) => ({
        id: row.key,
        issueKey: row.key,
        cells: columns.map((column) => rowCell(row, column)),
      })),
      total: data.page.total,
    },
  };
}

async function heatMapView(deps: AppDeps, { accountId, config }: MacroRequest): Promise<MacroData> {
  const data = await loadPortfolio(deps, { accountId, jql: narrowing(config), page: { offset: 0, limit: 1 } });
  const squares = new Map(data.heatMap.squares.map((s) => [`${s.likelihood}x${s.impact}`, s]));
  const rows = [...LIKELIHOOD_LEVELS].reverse().map((likelihood) => ({
    id: `likelihood-${likelihood.level}`,
    issueKey: null,
    cells: [
      txt(`${likelihood.level} ${likelihood.label}`),
      ...IMPACT_LEVELS.map((impact): MacroCell => {
        const square = squares.get(`${likelihood.level}x${impact.level}`);
        return { kind: 'risk', band: square?.band ?? 'low', count: square?.count ?? 0 };
      }),
    ],
  }));
  return {
    view: config.view,
    title: 'Risk heat map (residual)',
    summary: [
      { label: 'Open risks', cell: txt(data.heatMap.total) },
      ...[...RISK_BANDS]
        .reverse()
        .map((band) => ({ label: label('band', band), cell: txt(data.heatMap.totals[band]) })),
    ],
    notes: ['Open risks of live projects, placed by likelihood and impact after mitigation.'],
    asOf: null,
    table: {
      columns: [
        { id: 'likelihood', header: 'Likelihood \\ impact' },
        ...IMPACT_LEVELS.map((impact) => ({ id: `impact-${impact.level}`, header: `${impact.level} ${impact.label}` })),
      ],
      rows,
      total: rows.length,
    },
    computedAt: data.computedAt,
  };
}

async function exceptionsView(deps: AppDeps, { accountId, config }: MacroRequest): Promise<MacroData> {
  const page = { offset: 0, limit: config.limit };
  const data = await loadPortfolio(deps, { accountId, jql: narrowing(config), page, asOf: config.asOf });
  const base = { view: config.view, title: 'Exceptions', computedAt: data.computedAt };
  if (data.snapshot) {
    const { snapshot } = data;
    const reds = snapshot.rows.items.filter((row) => row.rag === 'red');
    return {
      ...base,
      summary: [{ label: 'Red projects', cell: txt(snapshot.byRag.red) }],
      notes: [asOfNote(snapshot.requested, snapshot.week), ...cutNote(reds.length, snapshot.byRag.red, 'red projects')],
      asOf: { requested: snapshot.requested, week: snapshot.week },
      table: {
        columns: [
          { id: 'key', header: 'Key' },
          { id: 'summary', header: 'Summary' },
          { id: 'rag', header: 'Health' },
        ],
        rows: reds.map((row) => ({
          id: row.key,
          issueKey: row.key,
          cells: [txt(row.key), txt(row.summary), rag(row.rag)],
        })),
        total: snapshot.byRag.red,
      },
    };
  }
  const entries = data.exceptions.items.slice(0, config.limit);
  return {
    ...base,
    summary: [
      { label: 'Exceptions', cell: txt(data.exceptions.total) },
      { label: 'Tolerance breaches', cell: txt(data.exceptions.items.filter((e) => e.toleranceBreached).length) },
    ],
    notes: cutNote(entries.length, data.exceptions.total, 'exceptions, tolerance breaches first'),
    asOf: null,
    table: {
      columns: [
        { id: 'key', header: 'Key' },
        { id: 'summary', header: 'Summary' },
        { id: 'owner', header: 'Owner' },
        { id: 'rag', header: 'Health' },
        { id: 'tolerance', header: 'Tolerance' },
        { id: 'reasons', header: 'Why' },
      ],
      rows: entries.map((entry) => ({
        id: entry.key,
        issueKey: entry.key,
        cells: [
          txt(entry.key),
          txt(entry.summary),
          entry.owner === null ? txt('') : { kind: 'user', accountId: entry.owner, name: null },
          rag(entry.overall),
          txt(entry.toleranceBreached ? 'Breached' : ''),
          txt(entry.reasons.map(reasonText).join(' ')),
        ],
      })),
      total: data.exceptions.total,
    },
    computedAt: data.computedAt,
  };
}

async function decisionLogView(deps: AppDeps, { accountId, config }: MacroRequest): Promise<MacroData> {
  const read = await readPortfolioFacts(deps, { accountId, jql: narrowing(config) });
  const notes: string[] = config.asOf === undefined ? [] : [`Decisions recorded on or before ${config.asOf}.`];
  const decisions = read.projects.flatMap(({ row, assessed }) => {
    // A steering document must not repeat an approval nobody can vouch for: only a record whose signatures hold for
    // its own issue is listed. A tampered one (forged, copied from another issue, deleted) and an unsigned one alike
    // are left out — the portfolio judges them without their record, so there is nothing of theirs to list — and said.
    if (row.integrity === 'tampered') {
      notes.push(`${row.key}: its governance data failed Tollgate's integrity check, so its decisions are not listed.`);
      return [];
    }
    if (row.integrity === 'unsigned') {
      notes.push(`${row.key}: its governance data was not written by Tollgate, so its decisions are not listed.`);
      return [];
    }
    const facts = assessed?.facts;
    if (row.integrity !== 'ok' || !facts?.governance) return [];
    return facts.governance.decisions
      .filter((decision) => config.asOf === undefined || dayOf(decision.decidedAt) <= config.asOf)
      .map((decision) => ({
        row,
        decision,
        gate: facts.template ? findGate(facts.template, decision.gateId) : undefined,
      }));
  });
  decisions.sort((a, b) => b.decision.decidedAt.localeCompare(a.decision.decidedAt));
  const shown = decisions.slice(0, config.limit);
  const table: MacroTable = {
    columns: [
      { id: 'decidedAt', header: 'Decided' },
      { id: 'key', header: 'Project' },
      { id: 'gate', header: 'Gate' },
      { id: 'outcome', header: 'Decision' },
      { id: 'decidedBy', header: 'Decided by' },
      { id: 'rationale', header: 'Rationale' },
    ],
    rows: shown.map(({ row, decision, gate }) => ({
      id: `${row.key}/${decision.id}`,
      issueKey: row.key,
      cells: [
        txt(dayOf(decision.decidedAt)),
        txt(`${row.key} ${row.summary}`),
        txt(gate?.gate.name ?? decision.gateId),
        txt(
          decision.lapsed
            ? `${label('outcome', decision.outcome)} (lapsed to ${label('outcome', decision.lapsed.outcome)})`
            : label('outcome', decision.outcome),
        ),
        { kind: 'user', accountId: decision.decidedBy, name: null },
        txt(
          decision.override ? `${decision.rationale} (PMO override: ${decision.override.reason})` : decision.rationale,
        ),
      ],
    })),
    total: decisions.length,
  };
  return {
    view: config.view,
    title: 'Gate decision log',
    summary: [{ label: 'Decisions', cell: txt(decisions.length) }],
    notes: [...notes, ...cutNote(shown.length, decisions.length, 'decisions, latest first')],
    asOf: config.asOf === undefined ? null : { requested: config.asOf, week: null },
    table,
    computedAt: read.now,
  };
}

const INTEGRITY_LABELS: Readonly<Record<string, string>> = {
  ok: 'Verified',
  repaired: 'Verified (a half-finished change was completed from the ledger)',
  unverified: 'Unsigned',
  damaged: 'Damaged',
  tampered: 'Tampered',
};

function dimensionRows(health: ProjectHealth): MacroTable['rows'] {
  return HEALTH_DIMENSIONS.map((dimension) => ({
    id: dimension,
    issueKey: null,
    cells: [
      txt(label('dimension', dimension)),
      rag(health.dimensions[dimension].rag),
      txt(
        health.dimensions[dimension].reasons
          .filter((r) => r.rag !== 'green')
          .map(reasonText)
          .join(' '),
      ),
    ],
  }));
}

async function projectStatusView(deps: AppDeps, { accountId, config }: MacroRequest): Promise<MacroData> {
  const issueKey = config.projectKey ?? '';
  // Through the panel's use case: it reads as the person (NOT_FOUND when they may not see the project) and judges
  // integrity against the ledger, which for one project costs one KVS read.
  const view = await loadProjectUseCase(deps, { accountId, issueKey });
  const title = `${view.issue.key}: ${view.issue.summary}`;
  const { summary } = view.health;
  if (config.asOf !== undefined) {
    const asOf = config.asOf;
    const last = mondayOf(asOf);
    const weeks = (await deps.storage.snapshots(trendStart(asOf)))
      .filter((s) => s.week <= last)
      .flatMap((s) =>
        s.rows.filter((row) => row.key === view.issue.key).map((row) => ({ week: s.week, rag: snapshotRag(row.rag) })),
      );
    const latest = weeks.at(-1);
    return {
      view: config.view,
      title,
      summary: [{ label: 'Health', cell: rag(latest?.rag ?? 'none') }],
      notes: [asOfNote(asOf, latest?.week ?? null)],
      asOf: { requested: asOf, week: latest?.week ?? null },
      table: {
        columns: [
          { id: 'week', header: 'Week of' },
          { id: 'rag', header: 'Health' },
        ],
        rows: weeks.map((w) => ({ id: w.week, issueKey: null, cells: [txt(w.week), rag(w.rag)] })),
        total: weeks.length,
      },
      computedAt: deps.clock.now(),
    };
  }
  const notes = view.health.reasons.map(reasonText);
  if (view.integrity === 'tampered' || view.integrity === 'damaged') {
    notes.push(
      'Its governance data failed Tollgate’s integrity check: this shows what is stored, not what Tollgate recorded.',
    );
  }
  return {
    view: config.view,
    title,
    summary: [
      { label: 'Health', cell: rag(view.health.overall) },
      { label: 'Stage', cell: txt(summary.stageName ?? 'Not under governance') },
      { label: 'Status', cell: txt(label('status', summary.status)) },
      {
        label: 'Last decision',
        cell: txt(summary.lastDecision === 'none' ? '' : label('outcome', summary.lastDecision)),
      },
      { label: 'Next gate', cell: txt(summary.nextGateDate ?? '') },
      {
        label: 'Owner',
        cell:
          view.issue.ownerAccountId === null
            ? txt('')
            : { kind: 'user', accountId: view.issue.ownerAccountId, name: null },
      },
      { label: 'Integrity', cell: txt(INTEGRITY_LABELS[view.integrity] ?? view.integrity) },
    ],
    notes,
    asOf: null,
    table: {
      columns: [
        { id: 'dimension', header: 'Dimension' },
        { id: 'rag', header: 'Health' },
        { id: 'reasons', header: 'Why' },
      ],
      rows: dimensionRows(view.health),
      total: HEALTH_DIMENSIONS.length,
    },
    computedAt: deps.clock.now(),
  };
}

/**
 * The data of a configured macro, for the person viewing (or exporting) the page: reads run as them, so a page
 * shows each reader only the projects Jira lets them see.
 * @throws {NotFoundError} when the project-status project is not visible; {JiraRejectedError} when Jira refuses the
 *   JQL; {UnavailableError | ForbiddenError} from the Jira port.
 */
export function loadMacroData(deps: AppDeps, request: MacroRequest): Promise<MacroData> {
  switch (request.config.view) {
    case 'portfolio-table':
      return portfolioTable(deps, request);
    case 'project-status':
      return projectStatusView(deps, request);
    case 'heat-map':
      return heatMapView(deps, request);
    case 'decision-log':
      return decisionLogView(deps, request);
    case 'exceptions':
      return exceptionsView(deps, request);
  }
}

// The matrix colours high risks amber, and ADF has no amber lozenge: high shares moderate's yellow, and every
// square prints its band's name too, which also keeps a grey-scale print readable.
const BAND_STATUS: Readonly<Record<RiskBand, StatusColour>> = {
  low: 'green',
  moderate: 'yellow',
  high: 'yellow',
  extreme: 'red',
};

function cellInline(cell: MacroCell): AdfInline[] {
  switch (cell.kind) {
    case 'text':
      return text(cell.text);
    case 'rag':
      return [ragStatus(cell.rag)];
    case 'user':
      return [mention(cell.accountId, cell.name)];
    case 'risk':
      return [status(`${cell.count} · ${label('band', cell.band)}`, BAND_STATUS[cell.band])];
  }
}

/**
 * The macro's data as an ADF document for Confluence's Word and PDF export: a heading, the notes, the key facts,
 * and the view's table with RAG lozenges — the same rows the live macro shows.
 */
export function macroDocument(data: MacroData): AdfDoc {
  const facts = data.summary.flatMap((item, index) => [
    ...text(index === 0 ? `${item.label}: ` : ` · ${item.label}: `),
    ...cellInline(item.cell),
  ]);
  return doc(
    heading(2, data.title),
    ...data.notes.map((note) => paragraph(text(note, 'em'))),
    ...(facts.length > 0 ? [paragraph(facts)] : []),
    table(
      data.table.columns.map((column) => column.header),
      data.table.rows.map((row) => row.cells.map((cell) => tableCell(cellInline(cell)))),
    ),
    paragraph(text(`Tollgate, computed ${data.computedAt.slice(0, 16).replace('T', ' ')} UTC.`, 'em')),
  );
}

/** A document that says why there is no table (not signed in, a bad configuration, Jira unavailable). */
export function macroMessageDocument(title: string, message: string): AdfDoc {
  return doc(heading(2, title), paragraph(message));
}
