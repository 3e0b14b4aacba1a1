/**
 * The RAID log: risks, assumptions, issues, dependencies, and the decisions taken along the way (docs/pmo-rules.md §3).
 * One model for every surface, so the panel, the portfolio and the steering-committee page never disagree.
 */
import { z } from 'zod';
import { ENTERED, type FieldRules } from './field-rules';
import { type IsoDate, instantSchema, isoDateSchema, isPast } from './time';

/** A Jira account id; owners are mandatory because an unowned risk is nobody's job. */
export const accountIdSchema = z.string().trim().min(1).max(128);

/** A Jira issue key such as `PMO-12`. */
export const issueKeySchema = z
  .string()
  .regex(/^[A-Z][A-Z0-9_]{0,9}-[1-9][0-9]{0,8}$/, 'expected an issue key like PMO-12');

/** 1..5 on both axes of the 5×5 matrix. */
const riskLevelSchema = z.literal([1, 2, 3, 4, 5]);

export const RAID_TYPES = ['risk', 'assumption', 'issue', 'dependency', 'decision'] as const;
export type RaidType = (typeof RAID_TYPES)[number];

/** Id prefixes people say out loud in steering meetings: "R-4 is now extreme". */
export const RAID_ID_PREFIX: Record<RaidType, string> = {
  risk: 'R',
  assumption: 'A',
  issue: 'I',
  dependency: 'D',
  decision: 'DEC',
};

export const raidIdSchema = z.string().regex(/^(R|A|I|D|DEC)-[1-9][0-9]{0,5}$/, 'expected a RAID id like R-4');

/** Fields every RAID item has, whatever its type. */
const commonFields = {
  id: raidIdSchema,
  title: z.string().trim().min(1).max(200),
  description: z.string().max(2000).default(''),
  owner: accountIdSchema,
  status: z.enum(['open', 'closed']),
  raisedBy: accountIdSchema,
  raisedAt: instantSchema,
  lastReviewedAt: instantSchema.optional(),
  nextReviewAt: isoDateSchema.optional(),
  linkedIssueKeys: z.array(issueKeySchema).max(20).default([]),
  closedAt: instantSchema.optional(),
  closedBy: accountIdSchema.optional(),
  closeNote: z.string().max(1000).optional(),
};

/** Avoid, reduce (mitigate), transfer or accept: the four classic responses. */
export const RISK_RESPONSES = ['avoid', 'reduce', 'transfer', 'accept'] as const;
/** Jira Align-style ROAM status of a risk. */
export const ROAM_STATUSES = ['resolved', 'owned', 'accepted', 'mitigated'] as const;

export const riskSchema = z.object({
  ...commonFields,
  type: z.literal('risk'),
  likelihood: riskLevelSchema,
  impact: riskLevelSchema,
  /** Residual values are the assessment after the response; absent until someone assesses them. */
  residualLikelihood: riskLevelSchema.optional(),
  residualImpact: riskLevelSchema.optional(),
  response: z.enum(RISK_RESPONSES).optional(),
  mitigation: z.string().max(1000).optional(),
  contingency: z.string().max(1000).optional(),
  /** When the risk could materialise (its proximity or trigger date). */
  proximity: isoDateSchema.optional(),
  roam: z.enum(ROAM_STATUSES).optional(),
});
export type Risk = z.infer<typeof riskSchema>;

export const assumptionSchema = z.object({
  ...commonFields,
  type: z.literal('assumption'),
  /** How much it hurts if the assumption is false. */
  sensitivity: z.enum(['low', 'medium', 'high', 'critical']),
  confidence: z.enum(['low', 'medium', 'high']),
  validation: z.enum(['unvalidated', 'validated', 'invalidated']).default('unvalidated'),
  validateBy: isoDateSchema.optional(),
  /** The risk raised if the assumption turns out false. */
  riskIfInvalid: raidIdSchema.optional(),
});
export type Assumption = z.infer<typeof assumptionSchema>;

export const issueSchema = z.object({
  ...commonFields,
  type: z.literal('issue'),
  /** 1 Minor, 2 Major, 3 Critical. */
  severity: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  priority: z.enum(['low', 'medium', 'high']).default('medium'),
  dueDate: isoDateSchema.optional(),
  resolution: z.string().max(1000).optional(),
  fromRisk: raidIdSchema.optional(),
});
export type RaidIssue = z.infer<typeof issueSchema>;

export const DEPENDENCY_STATUSES = ['on-track', 'at-risk', 'blocked', 'delivered'] as const;

export const dependencySchema = z.object({
  ...commonFields,
  type: z.literal('dependency'),
  /** inbound: we need something from them; outbound: they need something from us. */
  direction: z.enum(['inbound', 'outbound']),
  /** The registry project on the other side, by issue key, so its health can flow into ours. */
  counterpartyKey: issueKeySchema,
  neededBy: isoDateSchema.optional(),
  committedDate: isoDateSchema.optional(),
  deliveryStatus: z.enum(DEPENDENCY_STATUSES).default('on-track'),
});
export type Dependency = z.infer<typeof dependencySchema>;

export const raidDecisionSchema = z.object({
  ...commonFields,
  type: z.literal('decision'),
  /** "Decide to / on …" */
  statement: z.string().trim().min(1).max(1000),
  rationale: z.string().max(2000).default(''),
  alternatives: z.array(z.string().max(300)).max(10).default([]),
  approver: accountIdSchema,
  decidedAt: isoDateSchema,
  impact: z.string().max(1000).default(''),
});
export type RaidDecision = z.infer<typeof raidDecisionSchema>;

export const raidItemSchema = z.discriminatedUnion('type', [
  riskSchema,
  assumptionSchema,
  issueSchema,
  dependencySchema,
  raidDecisionSchema,
]);
export type RaidItem = z.infer<typeof raidItemSchema>;

/** Fields the app assigns (identity, lifecycle, who and when), never taken from the person logging an item. */
const ASSIGNED_BY_APP = {
  id: true,
  status: true,
  raisedBy: true,
  raisedAt: true,
  closedAt: true,
  closedBy: true,
  closeNote: true,
  lastReviewedAt: true,
} as const;

/**
 * The fields a person supplies when logging an item, checked with `fields`; the app assigns id, status and who/when.
 * Titles, statements and dates are the ones `fields` define, so the ledger can read an item logged under older fields.
 */
export function newRaidItemSchemaFor(fields: FieldRules) {
  const common = { title: fields.text(200), nextReviewAt: fields.date.optional() };
  const date = fields.date.optional();
  return z.discriminatedUnion('type', [
    fields.object({ ...riskSchema.omit(ASSIGNED_BY_APP).shape, ...common, proximity: date }),
    fields.object({ ...assumptionSchema.omit(ASSIGNED_BY_APP).shape, ...common, validateBy: date }),
    fields.object({ ...issueSchema.omit(ASSIGNED_BY_APP).shape, ...common, dueDate: date }),
    fields.object({ ...dependencySchema.omit(ASSIGNED_BY_APP).shape, ...common, neededBy: date, committedDate: date }),
    fields.object({
      ...raidDecisionSchema.omit(ASSIGNED_BY_APP).shape,
      ...common,
      statement: fields.text(1000),
      decidedAt: fields.date,
    }),
  ]);
}

/** A new item as a person may log it now. */
export const newRaidItemSchema = newRaidItemSchemaFor(ENTERED);
export type NewRaidItem = z.input<typeof newRaidItemSchema>;

/** Fields no update may change: identity, type and lifecycle, which only their own ops set. */
export const LOCKED_RAID_FIELDS: readonly string[] = [
  'id',
  'type',
  'status',
  'raisedBy',
  'raisedAt',
  'closedAt',
  'closedBy',
  'lastReviewedAt',
];

const ITEM_SCHEMAS = {
  risk: riskSchema,
  assumption: assumptionSchema,
  issue: issueSchema,
  dependency: dependencySchema,
  decision: raidDecisionSchema,
} as const;

/** The fields an update may change on an item of each type. */
export const EDITABLE_RAID_FIELDS: Readonly<Record<RaidType, readonly string[]>> = {
  risk: editableFields('risk'),
  assumption: editableFields('assumption'),
  issue: editableFields('issue'),
  dependency: editableFields('dependency'),
  decision: editableFields('decision'),
};

function editableFields(type: RaidType): string[] {
  return Object.keys(ITEM_SCHEMAS[type].shape).filter((field) => !LOCKED_RAID_FIELDS.includes(field));
}

/**
 * The `changes` of an update. ENTERED takes only the names of fields a RAID item has, and checks titles, statements
 * and dates as a new item's; whether the fields are the item's own type's, and not locked, is judged when the change
 * is applied, where the item is known. The ledger's older updates were free-form records, and are read back as such.
 */
export function raidChangesSchemaFor(fields: FieldRules): z.ZodType<Record<string, unknown>, Record<string, unknown>> {
  if (!fields.strict) return z.record(z.string(), z.unknown());
  const date = fields.date.optional();
  const anyType = Object.fromEntries(
    [...new Set(Object.values(ITEM_SCHEMAS).flatMap((schema) => Object.keys(schema.shape)))].map((field) => [
      field,
      z.unknown().optional(),
    ]),
  );
  return fields.object(
    {
      ...anyType,
      title: fields.text(200).optional(),
      statement: fields.text(1000).optional(),
      nextReviewAt: date,
      proximity: date,
      validateBy: date,
      dueDate: date,
      neededBy: date,
      committedDate: date,
      decidedAt: date,
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `${issue.keys.join(', ')} cannot be changed: no RAID item has such a field`
          : undefined,
    },
  );
}

/** The whole log, however many property shards it is stored in. */
export interface RaidLog {
  readonly items: readonly RaidItem[];
  /** Next number per type, so ids are never reused even after items are closed. */
  readonly nextSeq: Readonly<Record<RaidType, number>>;
}

export const EMPTY_RAID_LOG: RaidLog = {
  items: [],
  nextSeq: { risk: 1, assumption: 1, issue: 1, dependency: 1, decision: 1 },
};

/** The id the next item of that type gets. */
export function nextRaidId(log: RaidLog, type: RaidType): string {
  return `${RAID_ID_PREFIX[type]}-${log.nextSeq[type]}`;
}

/** Open items only. */
export function openItems(log: RaidLog): RaidItem[] {
  return log.items.filter((item) => item.status === 'open');
}

/** Open items of one type, typed. */
export function openOfType<T extends RaidType>(log: RaidLog, type: T): Extract<RaidItem, { type: T }>[] {
  return log.items.filter(
    (item): item is Extract<RaidItem, { type: T }> => item.type === type && item.status === 'open',
  );
}

/** An open item whose planned review day has passed. */
export function isReviewOverdue(item: RaidItem, today: IsoDate): boolean {
  return item.status === 'open' && item.nextReviewAt !== undefined && isPast(item.nextReviewAt, today);
}

/** Numeric order of RAID ids within a type (R-2 before R-10). */
export function compareRaidIds(a: string, b: string): number {
  const [pa = '', na = '0'] = a.split('-');
  const [pb = '', nb = '0'] = b.split('-');
  return pa === pb ? Number(na) - Number(nb) : pa < pb ? -1 : 1;
}
