/**
 * The RAID log's forms as data: which fields each type has (after src/domain/raid.ts), a form draft of strings for
 * an item, and the op a draft becomes. Pure and free of zod, so the first paint does not pay for the domain's
 * schemas: the server validates every op again and its refusal is what the person sees.
 */
import { type ProjectPanelView, type RaidItemView, type RiskScoreView } from '../../../src/contract/issue-panel';
import { type RaidType } from '../../../src/domain/raid';
import { DEFAULT_RISK_BANDS, type RiskBand } from '../../../src/domain/risk-bands';
import { type PanelOp } from './optimistic';

/** How a field is edited. */
export type FieldKind = 'text' | 'textarea' | 'date' | 'level' | 'choice' | 'user' | 'issueKey';

/** One field of a RAID form. `choices` are the domain's enum values, shown through `panel.raidlog.choice.<name>.*`. */
export interface FieldSpec {
  readonly name: string;
  readonly kind: FieldKind;
  readonly required: boolean;
  readonly choices?: readonly string[];
  readonly max?: number;
}

const title: FieldSpec = { name: 'title', kind: 'text', required: true, max: 200 };
const owner: FieldSpec = { name: 'owner', kind: 'user', required: true };
const description: FieldSpec = { name: 'description', kind: 'textarea', required: false, max: 2000 };
const nextReviewAt: FieldSpec = { name: 'nextReviewAt', kind: 'date', required: false };

/** Every field a person may set on each type, in form order; identity, status and who/when stay the app's. */
export const RAID_FIELDS: Readonly<Record<RaidType, readonly FieldSpec[]>> = {
  risk: [
    title,
    owner,
    { name: 'likelihood', kind: 'level', required: true },
    { name: 'impact', kind: 'level', required: true },
    { name: 'response', kind: 'choice', required: false, choices: ['avoid', 'reduce', 'transfer', 'accept'] },
    { name: 'mitigation', kind: 'textarea', required: false, max: 1000 },
    { name: 'residualLikelihood', kind: 'level', required: false },
    { name: 'residualImpact', kind: 'level', required: false },
    { name: 'contingency', kind: 'textarea', required: false, max: 1000 },
    { name: 'proximity', kind: 'date', required: false },
    nextReviewAt,
    description,
  ],
  assumption: [
    title,
    owner,
    { name: 'sensitivity', kind: 'choice', required: true, choices: ['low', 'medium', 'high', 'critical'] },
    { name: 'confidence', kind: 'choice', required: true, choices: ['low', 'medium', 'high'] },
    { name: 'validation', kind: 'choice', required: true, choices: ['unvalidated', 'validated', 'invalidated'] },
    { name: 'validateBy', kind: 'date', required: false },
    nextReviewAt,
    description,
  ],
  issue: [
    title,
    owner,
    { name: 'severity', kind: 'choice', required: true, choices: ['1', '2', '3'] },
    { name: 'priority', kind: 'choice', required: true, choices: ['low', 'medium', 'high'] },
    { name: 'dueDate', kind: 'date', required: false },
    { name: 'resolution', kind: 'textarea', required: false, max: 1000 },
    nextReviewAt,
    description,
  ],
  dependency: [
    title,
    owner,
    { name: 'direction', kind: 'choice', required: true, choices: ['inbound', 'outbound'] },
    { name: 'counterpartyKey', kind: 'issueKey', required: true },
    {
      name: 'deliveryStatus',
      kind: 'choice',
      required: true,
      choices: ['on-track', 'at-risk', 'blocked', 'delivered'],
    },
    { name: 'neededBy', kind: 'date', required: false },
    { name: 'committedDate', kind: 'date', required: false },
    nextReviewAt,
    description,
  ],
  decision: [
    title,
    owner,
    { name: 'statement', kind: 'textarea', required: true, max: 1000 },
    { name: 'rationale', kind: 'textarea', required: false, max: 2000 },
    { name: 'approver', kind: 'user', required: true },
    { name: 'decidedAt', kind: 'date', required: true },
    description,
  ],
};

/** A form's values, every one a string: '' means "not given". */
export type RaidDraft = Readonly<Record<string, string>>;

const NUMERIC = new Set(['likelihood', 'impact', 'residualLikelihood', 'residualImpact', 'severity']);

/** A fresh form for a new item of `type`, owned (and for decisions approved) by the viewer. */
export function emptyDraft(type: RaidType, viewer: string, today: string): RaidDraft {
  const defaults: Record<RaidType, Record<string, string>> = {
    risk: { likelihood: '3', impact: '3' },
    assumption: { sensitivity: 'medium', confidence: 'medium', validation: 'unvalidated' },
    issue: { severity: '2', priority: 'medium' },
    dependency: { direction: 'inbound', deliveryStatus: 'on-track' },
    decision: { approver: viewer, decidedAt: today },
  };
  const draft: Record<string, string> = {};
  for (const field of RAID_FIELDS[type]) draft[field.name] = defaults[type][field.name] ?? '';
  draft.owner = viewer;
  return draft;
}

/** The form for editing an existing item: its current values as strings. */
export function draftOf(item: RaidItemView): RaidDraft {
  const values = item as unknown as Record<string, unknown>;
  const draft: Record<string, string> = {};
  for (const field of RAID_FIELDS[item.type]) {
    const value = values[field.name];
    draft[field.name] = typeof value === 'string' || typeof value === 'number' ? String(value) : '';
  }
  return draft;
}

function valueOf(field: FieldSpec, raw: string): string | number | undefined {
  const text = field.kind === 'textarea' || field.kind === 'text' ? raw.trim() : raw;
  if (text === '') return undefined;
  return NUMERIC.has(field.name) ? Number(text) : text;
}

/** Names of required fields the draft leaves empty, so the form can say what is missing before anything is sent. */
export function missingFields(type: RaidType, draft: RaidDraft): string[] {
  return RAID_FIELDS[type]
    .filter((f) => f.required && valueOf(f, draft[f.name] ?? '') === undefined)
    .map((f) => f.name);
}

/** The `addRaidItem` op a completed form becomes; empty optional fields are left out. */
export function addOpOf(type: RaidType, draft: RaidDraft): PanelOp {
  const item: Record<string, unknown> = { type };
  for (const field of RAID_FIELDS[type]) {
    const value = valueOf(field, draft[field.name] ?? '');
    if (value !== undefined) item[field.name] = value;
  }
  return { type: 'addRaidItem', item: item as Extract<PanelOp, { type: 'addRaidItem' }>['item'] };
}

/**
 * The `updateRaidItem` op for what the person changed, or null when nothing changed. Free text can be emptied
 * (the schema allows ''); a date or choice cannot be taken back to "none" because the op merges fields and the
 * bridge drops `undefined`, so an emptied one keeps its value (the form says so).
 */
export function updateOpOf(item: RaidItemView, draft: RaidDraft): PanelOp | null {
  const before = draftOf(item);
  const changes: Record<string, unknown> = {};
  for (const field of RAID_FIELDS[item.type]) {
    const now = draft[field.name] ?? '';
    if (now.trim() === (before[field.name] ?? '').trim()) continue;
    const value = valueOf(field, now);
    if (value !== undefined) changes[field.name] = value;
    else if (field.kind === 'textarea' && !field.required) changes[field.name] = '';
  }
  return Object.keys(changes).length === 0 ? null : { type: 'updateRaidItem', id: item.id, changes };
}

/** Whether an emptied field will keep its old value (see updateOpOf), so the form can warn beside it. */
export function cannotClear(field: FieldSpec, item: RaidItemView | null, draft: RaidDraft): boolean {
  if (!item || field.required || field.kind === 'textarea' || field.kind === 'text') return false;
  return (draft[field.name] ?? '') === '' && draftOf(item)[field.name] !== '';
}

type Bands = ProjectPanelView['riskBands'];

/** The band the PMO's configuration puts a 5×5 score in. */
export function bandOf(score: number, bands: Bands): RiskBand {
  // The defaults for a view that has no bands (it always has; this keeps previews total).
  const table = bands.length > 0 ? bands : DEFAULT_RISK_BANDS;
  return table.find((range) => score >= range.min && score <= range.max)?.band ?? 'extreme';
}

function scored(score: number, bands: Bands): RiskScoreView {
  return { score, band: bandOf(score, bands) };
}

/**
 * An item as the panel shows it, from its stored fields: risk scores are recomputed, each residual rating falling
 * back on its inherent one as src/domain/risk.ts does. Used to preview adds and edits before the server answers.
 */
export function itemViewOf(fields: Record<string, unknown>, bands: Bands): RaidItemView {
  const text = (name: string): string | null => {
    const value = fields[name];
    return typeof value === 'string' ? value : null;
  };
  const base = {
    id: text('id') ?? '',
    title: text('title') ?? '',
    description: text('description') ?? '',
    status: fields.status === 'closed' ? ('closed' as const) : ('open' as const),
    owner: text('owner') ?? '',
    nextReviewAt: text('nextReviewAt'),
    closedAt: text('closedAt'),
    closedBy: text('closedBy'),
    closeNote: text('closeNote'),
  };
  const merged = { ...fields, ...base } as Record<string, unknown>;
  for (const [key, value] of Object.entries(merged)) if (value === undefined) merged[key] = null;
  if (fields.type === 'risk') {
    const likelihood = Number(fields.likelihood);
    const impact = Number(fields.impact);
    const residualLikelihood = fields.residualLikelihood == null ? likelihood : Number(fields.residualLikelihood);
    const residualImpact = fields.residualImpact == null ? impact : Number(fields.residualImpact);
    merged.inherent = scored(likelihood * impact, bands);
    merged.residual = scored(residualLikelihood * residualImpact, bands);
  }
  return merged as unknown as RaidItemView;
}

/** Open items first, then by id as the server sorted them. */
export function openFirst(items: readonly RaidItemView[]): RaidItemView[] {
  return [...items].sort((a, b) => (a.status === b.status ? 0 : a.status === 'open' ? -1 : 1));
}
