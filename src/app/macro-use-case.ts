/**
 * The steering-committee macro (docs/pmo-rules.md, "What no existing tool does well" 2): the portfolio table, one
 * project's status, the risk heat map, the gate decision log or the exceptions list, computed from the same read as
 * the Jira portfolio page, live or as a weekly snapshot recorded it. Every view becomes one table model, and the
 * `adfExport` document is printed from that model, so what a committee exports to Word or PDF is what it saw.
 *
 * The macro's words (titles, headers, notes, reasons, dates and numbers) are in the language and time zone of the person
 * reading it — or, for the Word/PDF export, of the person exporting, whose document then circulates as they made it.
 */
import {
  DEFAULT_MACRO_COLUMNS,
  type MacroCell,
  type MacroConfig,
  type MacroData,
  type MacroTable,
} from '../contract/macro';
import { type ChangeItem, type ChangesView, type PortfolioData, type PortfolioRow } from '../contract/portfolio';
import { HEALTH_DIMENSIONS, type ProjectHealth } from '../domain/health';
import { type Translator } from '../domain/messages';
import { type CsvKey } from '../domain/portfolio';
import { type RagOrNone } from '../domain/rag';
import { RISK_BANDS, RISK_LEVELS, type RiskBand } from '../domain/risk';
import { findGate } from '../domain/templates';
import { dayOf, type IsoDate } from '../domain/time';
import { mondayOf, trendStart } from '../domain/trend';
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
import { type AppDeps, templateLookup } from './deps';
import { loadProjectUseCase } from './load-project-use-case';
import { openReaderView } from './portfolio-reader';
import { loadPortfolio } from './portfolio-use-case';
import { codeLabel, reasonText } from './wording';
import { readerTemplateWords } from './words';

/** Rows whose errors a note names; more would bury the table. */
const MAX_ERROR_NOTES = 5;

/** What `loadMacroData` is asked for. */
export interface MacroRequest {
  readonly accountId: string;
  readonly config: MacroConfig;
  /** The reader's language and time zone (Forge's context). */
  readonly words: Translator;
}

// A number that is not finite (a ratio over almost nothing) is no figure a steering committee can read: left empty.
const printable = (value: string | number | null | undefined): boolean =>
  value !== null && value !== undefined && (typeof value !== 'number' || Number.isFinite(value));
const txt = (value: string | number | null | undefined): MacroCell => ({
  kind: 'text',
  text: printable(value) ? String(value) : '',
});
const rag = (value: RagOrNone): MacroCell => ({ kind: 'rag', rag: value });

const num = (words: Translator, value: number): MacroCell => txt(words.number(value));
const date = (day: IsoDate | null | undefined): MacroCell => (day ? { kind: 'date', day } : txt(''));

/** A column by its id, headed in the reader's language. */
const column = (words: Translator, id: string): MacroTable['columns'][number] => ({
  id,
  header: words.t(`macro.col.${id}`),
});

/** The scope clause a macro narrows the registry with. */
function narrowing(config: MacroConfig): string | undefined {
  // The project key passed issueKeySchema, so it cannot break out of the quotes.
  return config.jql ?? (config.projectKey === undefined ? undefined : `key = "${config.projectKey}"`);
}

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

function rowCell(words: Translator, row: PortfolioRow, key: CsvKey): MacroCell {
  if (RAG_COLUMNS.has(key)) return rag(row[key as 'rag']);
  switch (key) {
    case 'owner':
      return row.owner === null ? txt('') : { kind: 'user', accountId: row.owner, name: row.ownerName };
    case 'reasons':
      return txt(row.why.map((reason) => reasonText(words, reason)).join(' '));
    case 'stageName':
      return txt(row.stageName === null ? '' : words.term('stage', row.stageName));
    case 'status':
      return txt(codeLabel(words, 'status', row.status));
    case 'lastDecision':
      return txt(row.lastDecision === 'none' ? '' : codeLabel(words, 'outcome', row.lastDecision));
    case 'riskMax':
      return row.riskMax === 0 ? txt('') : num(words, row.riskMax);
    case 'mandatoryOpen':
      return num(words, row.mandatoryOpen);
    case 'wsjf':
    case 'roi': {
      const value = row[key];
      return value === null || !Number.isFinite(value) ? txt('') : num(words, value);
    }
    case 'nextGateDate':
    case 'dueDate':
      return date(row[key]);
    default: {
      const value = row[key];
      return txt(Array.isArray(value) ? value.join('; ') : value);
    }
  }
}

function ragCounts(words: Translator, byRag: Readonly<Record<RagOrNone, number>>): MacroData['summary'] {
  return (['red', 'amber', 'green'] as const).map((value) => ({
    label: words.t(`rag.${value}`),
    cell: num(words, byRag[value]),
  }));
}

/** Why a row's figures are left out, by the kind of damage (its own message is the app's English). */
function rowErrorNote(words: Translator, row: PortfolioRow): string {
  const code = row.error?.code;
  const kind = code === 'tampered' || code === 'unsigned' ? code : 'damaged';
  return words.t(`macro.rowError.${kind}`, { key: row.key });
}

function errorNotes(words: Translator, rows: readonly PortfolioRow[]): string[] {
  const damaged = rows.filter((row) => row.error !== null && row.error.code !== 'in-flight');
  const notes = damaged.slice(0, MAX_ERROR_NOTES).map((row) => rowErrorNote(words, row));
  if (damaged.length > MAX_ERROR_NOTES) {
    notes.push(words.t('macro.note.moreDamaged', { count: damaged.length - MAX_ERROR_NOTES }));
  }
  return notes;
}

function asOfNote(words: Translator, requested: IsoDate, week: IsoDate | null): string {
  return week === null
    ? words.t('macro.asOf.none', { requested: words.date(requested) })
    : words.t('macro.asOf.week', { week: words.date(week), requested: words.date(requested) });
}

/**
 * When the rows were last checked against Jira: a record changed through Jira's REST API behind Tollgate's back is
 * caught at the next check, so a committee reading an exported page can tell how fresh its verdicts are.
 */
function checkedNote(words: Translator, checkedAt: string | null): string[] {
  if (checkedAt === null) return [];
  return [words.t('macro.note.checked', { when: words.dateTime(checkedAt) })];
}

/** That the report's JQL named projects the reader cannot see or that do not exist, so an empty table is not "none". */
/** What a report says about its scope: the projects its JQL names that the reader cannot see, and rows not counted yet. */
function scopeNotes(words: Translator, scope: PortfolioData['scope']): string[] {
  return [
    ...(scope.unseenProjects.length === 0
      ? []
      : [words.t('macro.note.unseenProjects', { projects: scope.unseenProjects.join(', ') })]),
    ...(scope.pending === 0 ? [] : [words.t('macro.note.pending', { n: scope.pending })]),
  ];
}

/** "Showing 25 of 37 …" when the table is cut; `what` names the catalog's wording for what is listed. */
function cutNote(words: Translator, shown: number, total: number, what: string): string[] {
  return total > shown ? [words.t(`macro.note.cut.${what}`, { shown, total })] : [];
}

/** The columns of a snapshot's rows: what a weekly snapshot keeps. */
const snapshotColumns = (words: Translator) => [column(words, 'key'), column(words, 'summary'), column(words, 'rag')];

async function portfolioTable(deps: AppDeps, { accountId, config, words }: MacroRequest): Promise<MacroData> {
  const page = { offset: 0, limit: config.limit };
  const data = await loadPortfolio(deps, { accountId, jql: narrowing(config), page, asOf: config.asOf });
  const base = { view: config.view, title: words.t('macro.title.portfolio-table'), computedAt: data.computedAt };
  const checked = [...scopeNotes(words, data.scope), ...checkedNote(words, data.scope.checkedAt)];
  if (data.snapshot) {
    const { snapshot } = data;
    return {
      ...base,
      summary: ragCounts(words, snapshot.byRag),
      notes: [
        asOfNote(words, snapshot.requested, snapshot.week),
        ...checked,
        ...cutNote(words, snapshot.rows.items.length, snapshot.rows.total, 'projects'),
      ],
      asOf: { requested: snapshot.requested, week: snapshot.week },
      table: {
        columns: snapshotColumns(words),
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
    summary: [
      { label: words.t('macro.fact.projects'), cell: num(words, data.counts.total) },
      ...ragCounts(words, data.counts.byRag),
    ],
    notes: [
      ...checked,
      ...cutNote(words, data.page.rows.length, data.page.total, 'projects'),
      ...errorNotes(words, data.page.rows),
    ],
    asOf: null,
    table: {
      columns: columns.map((id) => column(words, id)),
      rows: data.page.rows.map((row) => ({
        id: row.key,
        issueKey: row.key,
        cells: columns.map((key) => rowCell(words, row, key)),
      })),
      total: data.page.total,
    },
  };
}

async function heatMapView(deps: AppDeps, { accountId, config, words }: MacroRequest): Promise<MacroData> {
  const data = await loadPortfolio(deps, { accountId, jql: narrowing(config), page: { offset: 0, limit: 1 } });
  const squares = new Map(data.heatMap.squares.map((s) => [`${s.likelihood}x${s.impact}`, s]));
  // The level names the issue panel uses, so a rating reads the same on every surface.
  const level = (axis: 'likelihood' | 'impact', n: number) => `${n} ${words.t(`risk.${axis}.${n}`)}`;
  const rows = [...RISK_LEVELS].reverse().map((likelihood) => ({
    id: `likelihood-${likelihood}`,
    issueKey: null,
    cells: [
      txt(level('likelihood', likelihood)),
      ...RISK_LEVELS.map((impact): MacroCell => {
        const square = squares.get(`${likelihood}x${impact}`);
        return { kind: 'risk', band: square?.band ?? 'low', count: square?.count ?? 0 };
      }),
    ],
  }));
  return {
    view: config.view,
    title: words.t('macro.title.heat-map'),
    summary: [
      { label: words.t('macro.fact.openRisks'), cell: num(words, data.heatMap.total) },
      ...[...RISK_BANDS]
        .reverse()
        .map((band) => ({ label: words.t(`risk.band.${band}`), cell: num(words, data.heatMap.totals[band]) })),
    ],
    notes: [words.t('macro.note.heatMap'), ...scopeNotes(words, data.scope)],
    asOf: null,
    table: {
      columns: [
        column(words, 'likelihoodImpact'),
        ...RISK_LEVELS.map((impact) => ({ id: `impact-${impact}`, header: level('impact', impact) })),
      ],
      rows,
      total: rows.length,
    },
    computedAt: data.computedAt,
  };
}

async function exceptionsView(deps: AppDeps, { accountId, config, words }: MacroRequest): Promise<MacroData> {
  const page = { offset: 0, limit: config.limit };
  const data = await loadPortfolio(deps, { accountId, jql: narrowing(config), page, asOf: config.asOf });
  const base = { view: config.view, title: words.t('macro.title.exceptions'), computedAt: data.computedAt };
  if (data.snapshot) {
    const { snapshot } = data;
    const reds = snapshot.rows.items.filter((row) => row.rag === 'red');
    return {
      ...base,
      summary: [{ label: words.t('macro.fact.redProjects'), cell: num(words, snapshot.byRag.red) }],
      notes: [
        asOfNote(words, snapshot.requested, snapshot.week),
        ...cutNote(words, reds.length, snapshot.byRag.red, 'redProjects'),
      ],
      asOf: { requested: snapshot.requested, week: snapshot.week },
      table: {
        columns: snapshotColumns(words),
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
      { label: words.t('macro.fact.exceptions'), cell: num(words, data.exceptions.total) },
      {
        label: words.t('macro.fact.breaches'),
        cell: num(words, data.exceptions.items.filter((e) => e.toleranceBreached).length),
      },
    ],
    notes: [...scopeNotes(words, data.scope), ...cutNote(words, entries.length, data.exceptions.total, 'exceptions')],
    asOf: null,
    table: {
      columns: ['key', 'summary', 'owner', 'rag', 'tolerance', 'reasons'].map((id) => column(words, id)),
      rows: entries.map((entry) => ({
        id: entry.key,
        issueKey: entry.key,
        cells: [
          txt(entry.key),
          txt(entry.summary),
          entry.owner === null ? txt('') : { kind: 'user', accountId: entry.owner, name: null },
          rag(entry.overall),
          txt(entry.toleranceBreached ? words.t('macro.cell.breached') : ''),
          txt(entry.reasons.map((reason) => reasonText(words, reason)).join(' ')),
        ],
      })),
      total: data.exceptions.total,
    },
    computedAt: data.computedAt,
  };
}

async function decisionLogView(deps: AppDeps, { accountId, config, words }: MacroRequest): Promise<MacroData> {
  const view = await openReaderView(deps, { accountId, jql: narrowing(config) });
  // A steering document must not repeat an approval nobody can vouch for: only a record whose signatures hold for its
  // own issue is listed. A tampered one (forged, copied from another issue, deleted) and an unsigned one alike are
  // left out — the portfolio judges them without their record, so there is nothing of theirs to list — and said.
  const log = await deps.readModel.decisionLog(view.scope, {
    ...(config.asOf === undefined ? {} : { until: config.asOf }),
    limit: config.limit,
    withheldLimit: MAX_ERROR_NOTES,
  });
  const notes: string[] = [
    ...(config.asOf === undefined ? [] : [words.t('macro.note.decisionsUntil', { day: words.date(config.asOf) })]),
    ...log.withheld.map(({ key, integrity }) =>
      words.t(integrity === 'tampered' ? 'macro.note.decisionsTampered' : 'macro.note.decisionsUnsigned', { key }),
    ),
    ...(log.withheldTotal > log.withheld.length
      ? [words.t('macro.note.moreWithheld', { count: log.withheldTotal - log.withheld.length })]
      : []),
    ...(log.pending > 0 ? [words.t('macro.note.pending', { n: log.pending })] : []),
  ];
  const lookup = templateLookup(view.settings);
  const shown = log.decisions.map(({ key, summary, template, decision }) => {
    const governing = template === null ? undefined : lookup(template);
    return { row: { key, summary }, decision, gate: governing ? findGate(governing, decision.gateId) : undefined };
  });
  const table: MacroTable = {
    columns: [
      column(words, 'decidedAt'),
      { id: 'key', header: words.t('macro.col.project') },
      ...['gate', 'outcome', 'decidedBy', 'rationale'].map((id) => column(words, id)),
    ],
    rows: shown.map(({ row, decision, gate }) => ({
      id: `${row.key}/${decision.id}`,
      issueKey: row.key,
      cells: [
        date(dayOf(decision.decidedAt)),
        txt(`${row.key} ${row.summary}`),
        txt(gate ? words.term('gate', gate.gate.name) : decision.gateId),
        txt(
          decision.lapsed
            ? words.t('macro.cell.lapsed', {
                outcome: codeLabel(words, 'outcome', decision.outcome),
                lapsedTo: codeLabel(words, 'outcome', decision.lapsed.outcome),
              })
            : codeLabel(words, 'outcome', decision.outcome),
        ),
        { kind: 'user', accountId: decision.decidedBy, name: null },
        txt(
          decision.override
            ? words.t('macro.cell.override', { rationale: decision.rationale, reason: decision.override.reason })
            : decision.rationale,
        ),
      ],
    })),
    total: log.total,
  };
  return {
    view: config.view,
    title: words.t('macro.title.decision-log'),
    summary: [{ label: words.t('macro.fact.decisions'), cell: num(words, log.total) }],
    notes: [...notes, ...cutNote(words, shown.length, log.total, 'decisions')],
    asOf: config.asOf === undefined ? null : { requested: config.asOf, week: null },
    table,
    computedAt: view.now,
  };
}

function dimensionRows(words: Translator, health: ProjectHealth): MacroTable['rows'] {
  return HEALTH_DIMENSIONS.map((dimension) => ({
    id: dimension,
    issueKey: null,
    cells: [
      txt(codeLabel(words, 'dimension', dimension)),
      rag(health.dimensions[dimension].rag),
      txt(
        health.dimensions[dimension].reasons
          .filter((r) => r.rag !== 'green')
          .map((reason) => reasonText(words, reason))
          .join(' '),
      ),
    ],
  }));
}

async function projectStatusView(deps: AppDeps, { accountId, config, words }: MacroRequest): Promise<MacroData> {
  const issueKey = config.projectKey ?? '';
  // Through the panel's use case: it reads as the person (NOT_FOUND when they may not see the project) and judges
  // integrity against the ledger, which for one project costs one KVS read.
  const view = await loadProjectUseCase(deps, { accountId, issueKey });
  const title = `${view.issue.key}: ${view.issue.summary}`;
  const { summary } = view.health;
  if (config.asOf !== undefined) {
    const asOf = config.asOf;
    const last = mondayOf(asOf);
    const weeks = await deps.readModel.snapshotHistory(view.issue.key, trendStart(asOf), last);
    const latest = weeks.at(-1);
    return {
      view: config.view,
      title,
      summary: [{ label: words.t('macro.fact.health'), cell: rag(latest?.rag ?? 'none') }],
      notes: [asOfNote(words, asOf, latest?.week ?? null)],
      asOf: { requested: asOf, week: latest?.week ?? null },
      table: {
        columns: [column(words, 'week'), column(words, 'rag')],
        rows: weeks.map((w) => ({ id: w.week, issueKey: null, cells: [date(w.week), rag(w.rag)] })),
        total: weeks.length,
      },
      computedAt: deps.clock.now(),
    };
  }
  const notes = view.health.reasons.map((reason) => reasonText(words, reason));
  if (view.integrity === 'tampered' || view.integrity === 'damaged') notes.push(words.t('macro.note.integrityFailed'));
  return {
    view: config.view,
    title,
    summary: [
      { label: words.t('macro.fact.health'), cell: rag(view.health.overall) },
      {
        label: words.t('macro.fact.stage'),
        cell: txt(
          summary.stageName === null ? words.t('macro.cell.notGoverned') : words.term('stage', summary.stageName),
        ),
      },
      { label: words.t('macro.fact.status'), cell: txt(codeLabel(words, 'status', summary.status)) },
      {
        label: words.t('macro.fact.lastDecision'),
        cell: txt(summary.lastDecision === 'none' ? '' : codeLabel(words, 'outcome', summary.lastDecision)),
      },
      {
        label: words.t('macro.fact.nextGate'),
        cell: date(summary.nextGateDate),
      },
      {
        label: words.t('macro.fact.owner'),
        cell:
          view.issue.ownerAccountId === null
            ? txt('')
            : { kind: 'user', accountId: view.issue.ownerAccountId, name: null },
      },
      { label: words.t('macro.fact.integrity'), cell: txt(words.t(`macro.integrity.${view.integrity}`)) },
    ],
    notes,
    asOf: null,
    table: {
      columns: ['dimension', 'rag', 'reasons'].map((id) => column(words, id)),
      rows: dimensionRows(words, view.health),
      total: HEALTH_DIMENSIONS.length,
    },
    computedAt: deps.clock.now(),
  };
}

/**
 * What changed since the day the config names (the last steering committee), up to its as-of day or today: one row
 * per project that turned red, got worse or better or whose worst risk crossed a band, then the gate decisions.
 */
async function changesMacroView(deps: AppDeps, { accountId, config, words }: MacroRequest): Promise<MacroData> {
  const since = config.since as IsoDate;
  const data = await loadPortfolio(deps, {
    accountId,
    jql: narrowing(config),
    page: { offset: 0, limit: 1 },
    compare: { from: since, ...(config.asOf === undefined ? {} : { to: config.asOf }) },
  });
  const changes = data.changes as ChangesView;
  const second = changes.to.live ? words.t('macro.changes.today') : words.date(changes.to.requested);
  const band = (value: RiskBand | 'none') =>
    txt(value === 'none' ? words.t('portfolio.changes.noRisk') : words.t(`risk.band.${value}`));
  type Row = MacroData['table']['rows'][number];
  const moved = <T>(
    group: string,
    list: { readonly items: readonly ChangeItem<T>[] } | null,
    cell: (value: T) => MacroCell,
  ): Row[] =>
    (list?.items ?? []).map((item) => ({
      id: `${group}-${item.key}`,
      issueKey: item.key,
      cells: [
        txt(item.key),
        txt(item.summary),
        txt(words.t(`portfolio.changes.${group}`)),
        item.from === null ? txt(words.t('portfolio.changes.new')) : cell(item.from),
        cell(item.to),
      ],
    }));
  const rows: Row[] = [
    ...moved('newReds', changes.newReds, rag),
    ...moved('worse', changes.worse, rag),
    ...moved('better', changes.better, rag),
    ...moved('risksUp', changes.risksUp, band),
    ...moved('risksDown', changes.risksDown, band),
    ...changes.decisions.items.map((decision) => ({
      id: `decision-${decision.key}-${decision.day}-${decision.gate}`,
      issueKey: decision.key,
      cells: [
        txt(decision.key),
        txt(decision.summary),
        txt(words.t('macro.changes.decision')),
        date(decision.day),
        txt(
          words.t('portfolio.changes.decision', {
            outcome: decision.outcome,
            gate: words.term('gate', decision.gate),
          }),
        ),
      ],
    })),
  ];
  const shown = rows.slice(0, config.limit);
  const basis =
    changes.from.week === null
      ? changes.earliestWeek === null
        ? words.t('portfolio.changes.noSnapshotYet', { from: words.date(since) })
        : words.t('portfolio.changes.noSnapshotThen', {
            from: words.date(since),
            earliest: words.date(changes.earliestWeek),
          })
      : changes.to.live
        ? words.t('portfolio.changes.basisLive', { week: words.date(changes.from.week) })
        : changes.to.week === null
          ? words.t('portfolio.changes.noSecond', { to: words.date(changes.to.requested) })
          : words.t('portfolio.changes.basis', {
              week: words.date(changes.from.week),
              second: words.date(changes.to.week),
            });
  return {
    view: config.view,
    title: words.t('portfolio.changes.title', { from: words.date(since), to: second }),
    summary: (['newReds', 'worse', 'better', 'risksUp', 'decisions'] as const).map((group) => ({
      label: words.t(`portfolio.changes.${group}`),
      cell: changes[group] === null ? txt('—') : num(words, changes[group].total),
    })),
    notes: [
      basis,
      ...(changes.risksUp === null && changes.from.week !== null ? [words.t('portfolio.changes.noBands')] : []),
      ...scopeNotes(words, data.scope),
      ...cutNote(words, shown.length, rows.length, 'changes'),
    ],
    asOf: null,
    table: {
      columns: ['key', 'summary', 'change', 'from', 'to'].map((id) => column(words, id)),
      rows: shown,
      total: rows.length,
    },
    computedAt: data.computedAt,
  };
}

/**
 * The data of a configured macro, for the person viewing (or exporting) the page: reads run as them, so a page
 * shows each reader only the projects Jira lets them see.
 * @throws {NotFoundError} when the project-status project is not visible; {JiraRejectedError} when Jira refuses the
 *   JQL; {UnavailableError | ForbiddenError} from the Jira port.
 */
export async function loadMacroData(deps: AppDeps, given: MacroRequest): Promise<MacroData> {
  // The template's own words (stage, gate and criterion names) in the reader's language too.
  const settings = await deps.storage.loadSettings();
  const request = { ...given, words: readerTemplateWords(given.words, settings) };
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
    case 'changes':
      return changesMacroView(deps, request);
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

function cellInline(words: Translator, cell: MacroCell): AdfInline[] {
  switch (cell.kind) {
    case 'text':
      return text(cell.text);
    case 'rag':
      return [ragStatus(cell.rag, words.t(`rag.${cell.rag}`).toLocaleUpperCase(words.locale))];
    case 'user':
      return [mention(cell.accountId, cell.name)];
    case 'date':
      return text(words.date(cell.day));
    case 'risk':
      return [status(`${words.number(cell.count)} · ${words.t(`risk.band.${cell.band}`)}`, BAND_STATUS[cell.band])];
  }
}

/**
 * The macro's data as an ADF document for Confluence's Word and PDF export: a heading, the notes, the key facts,
 * and the view's table with RAG lozenges — the same rows the live macro shows.
 */
export function macroDocument(data: MacroData, words: Translator): AdfDoc {
  const facts = data.summary.flatMap((item, index) => [
    ...text(index === 0 ? `${item.label}: ` : ` · ${item.label}: `),
    ...cellInline(words, item.cell),
  ]);
  return doc(
    heading(2, data.title),
    ...data.notes.map((note) => paragraph(text(note, 'em'))),
    ...(facts.length > 0 ? [paragraph(facts)] : []),
    table(
      data.table.columns.map((column) => column.header),
      data.table.rows.map((row) => row.cells.map((cell) => tableCell(cellInline(words, cell)))),
    ),
    paragraph(text(words.t('macro.computedAt', { when: words.dateTime(data.computedAt) }), 'em')),
  );
}

/** A document that says why there is no table (not signed in, a bad configuration, Jira unavailable). */
export function macroMessageDocument(title: string, message: string): AdfDoc {
  return doc(heading(2, title), paragraph(message));
}
