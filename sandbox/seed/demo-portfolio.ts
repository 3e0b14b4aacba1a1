/**
 * The demo portfolio: about forty registry projects at Nordlys Energy across every stage, with the gate decisions,
 * checklists, RAID logs, tolerances and reviews a real PMO would have, built by applying the app's own ops through
 * the domain reducer — so every document is one the app could have written. Deterministic for a given `today`.
 */
import { DEFAULT_TEMPLATES } from '../../src/domain/default-templates';
import { type GovernanceDocument } from '../../src/domain/documents/governance-document';
import { type HealthDocument, toHealthDocument } from '../../src/domain/documents/health-document';
import { type RaidShard, splitRaidLog } from '../../src/domain/documents/raid-document';
import { DEFAULT_HEALTH_CONFIG, type ProjectFacts } from '../../src/domain/health';
import { applyOp, type OpContext, type OpInput, opPayloadSchema, type ProjectRecord } from '../../src/domain/ops';
import { assessPortfolio } from '../../src/domain/portfolio';
import { type StageGateTemplate } from '../../src/domain/templates';
import { addCalendarDays, daysBetween, type IsoDate } from '../../src/domain/time';
import { prng } from '../prng';
import { PEOPLE, type SeedUser } from './people';

const COOPER = DEFAULT_TEMPLATES[0] as StageGateTemplate;
const PRINCE2 = DEFAULT_TEMPLATES[1] as StageGateTemplate;

/** Jira custom fields the demo fills; the README's settings map them (Department, Start date, budget, progress). */
export const CUSTOM_FIELDS = {
  department: { id: 'customfield_10050', name: 'Department' },
  startDate: { id: 'customfield_10015', name: 'Start date' },
  bac: { id: 'customfield_10060', name: 'Budget at completion' },
  pv: { id: 'customfield_10061', name: 'Planned value' },
  ev: { id: 'customfield_10062', name: 'Earned value' },
  ac: { id: 'customfield_10063', name: 'Actual cost' },
  progress: { id: 'customfield_10064', name: 'Progress' },
} as const;

/** Jira status of a registry project in each stage (the registry workflow has one status per stage). */
export const STAGE_STATUS: Readonly<Record<string, string>> = {
  discovery: 'Discovery',
  scoping: 'Scoping',
  'business-case': 'Business Case',
  development: 'Development',
  testing: 'Testing',
  launch: 'Launch',
  'starting-up': 'Starting Up',
  initiating: 'Initiating',
  delivery: 'Delivery',
  closed: 'Closing',
};

/** What a project's history shows; each is one thing a PMO must be able to see on the portfolio. */
export type Scenario =
  | 'healthy'
  | 'gate-overdue'
  | 'musts-open-near-gate'
  | 'extreme-risk'
  | 'on-hold'
  | 'recycled'
  | 'conditional-lapsed'
  | 'conditional-open'
  | 'killed'
  | 'completed'
  | 'stale'
  | 'tolerance-breach'
  | 'over-budget'
  | 'depends-on-red'
  | 'ungoverned';

/** One registry project of the demo (benchmarks build larger portfolios from the same kind of spec). */
export interface ProjectSpec {
  readonly summary: string;
  readonly department: string;
  readonly template: 'cooper' | 'prince2';
  readonly stage: number;
  readonly scenario: Scenario;
  readonly owner: SeedUser;
  /** Confidential projects live in the CONF project, which the outsider cannot browse. */
  readonly confidential?: boolean;
  /** Registry index (0-based) of the project this one needs something from. */
  readonly dependsOn?: number;
  /** RAID entries logged over the project's life, besides its decision; default 5–16, drawn from the seed. */
  readonly raidItems?: number;
}

const P = PEOPLE;
/** The demo's forty projects. */
export const SPECS: readonly ProjectSpec[] = [
  {
    summary: 'Smart meter rollout, phase 2',
    department: 'Grid Operations',
    template: 'prince2',
    stage: 2,
    scenario: 'healthy',
    owner: P.owner,
  },
  {
    summary: 'SAP S/4HANA finance migration',
    department: 'Finance',
    template: 'prince2',
    stage: 2,
    scenario: 'tolerance-breach',
    owner: P.owner2,
  },
  {
    summary: 'Customer portal relaunch',
    department: 'Customer',
    template: 'cooper',
    stage: 3,
    scenario: 'healthy',
    owner: P.owner,
  },
  {
    summary: 'Outage prediction with machine learning',
    department: 'Grid Operations',
    template: 'cooper',
    stage: 2,
    scenario: 'musts-open-near-gate',
    owner: P.owner3,
  },
  {
    summary: 'EV charging partner API',
    department: 'New Energy',
    template: 'cooper',
    stage: 3,
    scenario: 'depends-on-red',
    owner: P.owner,
    dependsOn: 5,
  },
  {
    summary: 'Identity platform consolidation',
    department: 'IT',
    template: 'prince2',
    stage: 2,
    scenario: 'extreme-risk',
    owner: P.owner2,
  },
  {
    summary: 'Offshore wind O&M mobile app',
    department: 'Renewables',
    template: 'cooper',
    stage: 4,
    scenario: 'healthy',
    owner: P.owner3,
  },
  {
    summary: 'Payroll vendor switch',
    department: 'HR',
    template: 'prince2',
    stage: 1,
    scenario: 'gate-overdue',
    owner: P.owner,
  },
  {
    summary: 'Heat pump subscription offer',
    department: 'New Energy',
    template: 'cooper',
    stage: 1,
    scenario: 'healthy',
    owner: P.owner,
  },
  {
    summary: 'GDPR retention clean-up',
    department: 'Legal',
    template: 'prince2',
    stage: 2,
    scenario: 'stale',
    owner: P.owner2,
  },
  {
    summary: 'Oslo office consolidation',
    department: 'Facilities',
    template: 'prince2',
    stage: 3,
    scenario: 'completed',
    owner: P.owner3,
  },
  {
    summary: 'Hydrogen pilot at Mongstad',
    department: 'Renewables',
    template: 'cooper',
    stage: 2,
    scenario: 'killed',
    owner: P.owner3,
  },
  {
    summary: 'Data lakehouse platform',
    department: 'IT',
    template: 'cooper',
    stage: 3,
    scenario: 'over-budget',
    owner: P.owner2,
  },
  {
    summary: 'Substation digital twin',
    department: 'Grid Operations',
    template: 'cooper',
    stage: 2,
    scenario: 'conditional-lapsed',
    owner: P.owner,
  },
  {
    summary: 'Field service scheduling',
    department: 'Grid Operations',
    template: 'cooper',
    stage: 3,
    scenario: 'conditional-open',
    owner: P.owner3,
  },
  {
    summary: 'Battery storage tender',
    department: 'Renewables',
    template: 'prince2',
    stage: 1,
    scenario: 'on-hold',
    owner: P.owner2,
  },
  {
    summary: 'Call centre voice bot',
    department: 'Customer',
    template: 'cooper',
    stage: 1,
    scenario: 'recycled',
    owner: P.owner,
  },
  {
    summary: 'Tariff engine rewrite',
    department: 'Customer',
    template: 'cooper',
    stage: 3,
    scenario: 'musts-open-near-gate',
    owner: P.owner3,
  },
  {
    summary: 'Mergers integration: Vestkraft',
    department: 'Strategy',
    template: 'prince2',
    stage: 2,
    scenario: 'healthy',
    owner: P.owner2,
    confidential: true,
  },
  {
    summary: 'Board reporting automation',
    department: 'Finance',
    template: 'cooper',
    stage: 2,
    scenario: 'healthy',
    owner: P.owner,
  },
  {
    summary: 'Grid tariff regulatory filing',
    department: 'Legal',
    template: 'prince2',
    stage: 2,
    scenario: 'gate-overdue',
    owner: P.owner2,
  },
  {
    summary: 'Solar park Østfold grid connection',
    department: 'Renewables',
    template: 'prince2',
    stage: 2,
    scenario: 'depends-on-red',
    owner: P.owner3,
    dependsOn: 7,
  },
  {
    summary: 'Cyber security SOC upgrade',
    department: 'IT',
    template: 'prince2',
    stage: 2,
    scenario: 'extreme-risk',
    owner: P.owner2,
    confidential: true,
  },
  {
    summary: 'Employee mobility app',
    department: 'HR',
    template: 'cooper',
    stage: 0,
    scenario: 'healthy',
    owner: P.owner,
  },
  {
    summary: 'Flexible connection agreements',
    department: 'Grid Operations',
    template: 'cooper',
    stage: 1,
    scenario: 'stale',
    owner: P.owner3,
  },
  {
    summary: 'Drone line inspection',
    department: 'Grid Operations',
    template: 'cooper',
    stage: 4,
    scenario: 'conditional-open',
    owner: P.owner,
  },
  {
    summary: 'ERP procurement module',
    department: 'Finance',
    template: 'prince2',
    stage: 3,
    scenario: 'completed',
    owner: P.owner2,
  },
  {
    summary: 'Customer energy insights',
    department: 'Customer',
    template: 'cooper',
    stage: 0,
    scenario: 'ungoverned',
    owner: P.owner3,
  },
  {
    summary: 'District heating in Bergen',
    department: 'New Energy',
    template: 'cooper',
    stage: 0,
    scenario: 'ungoverned',
    owner: P.owner,
  },
  {
    summary: 'Network planning tool',
    department: 'Grid Operations',
    template: 'prince2',
    stage: 2,
    scenario: 'over-budget',
    owner: P.owner3,
  },
  {
    summary: 'Sustainability reporting (CSRD)',
    department: 'Finance',
    template: 'prince2',
    stage: 1,
    scenario: 'healthy',
    owner: P.owner2,
  },
  {
    summary: 'Archive system decommissioning',
    department: 'IT',
    template: 'prince2',
    stage: 2,
    scenario: 'healthy',
    owner: P.owner,
  },
  {
    summary: 'Wind forecast model v3',
    department: 'Renewables',
    template: 'cooper',
    stage: 3,
    scenario: 'healthy',
    owner: P.owner3,
  },
  {
    summary: 'Meter data hub integration',
    department: 'Grid Operations',
    template: 'prince2',
    stage: 2,
    scenario: 'tolerance-breach',
    owner: P.owner,
  },
  {
    summary: 'Customer onboarding redesign',
    department: 'Customer',
    template: 'cooper',
    stage: 2,
    scenario: 'healthy',
    owner: P.owner2,
  },
  {
    summary: 'Trading desk risk system',
    department: 'Strategy',
    template: 'cooper',
    stage: 1,
    scenario: 'killed',
    owner: P.owner3,
    confidential: true,
  },
  {
    summary: 'Intranet replacement',
    department: 'IT',
    template: 'cooper',
    stage: 5,
    scenario: 'healthy',
    owner: P.owner,
  },
  {
    summary: 'Vegetation management contracts',
    department: 'Grid Operations',
    template: 'prince2',
    stage: 1,
    scenario: 'musts-open-near-gate',
    owner: P.owner2,
  },
  {
    summary: 'Electric fleet conversion',
    department: 'Facilities',
    template: 'cooper',
    stage: 2,
    scenario: 'recycled',
    owner: P.owner3,
  },
  {
    summary: 'AI assistant for engineers',
    department: 'IT',
    template: 'cooper',
    stage: 0,
    scenario: 'ungoverned',
    owner: P.owner,
  },
];

export interface SeedIssue {
  readonly projectKey: 'PMO' | 'CONF';
  readonly summary: string;
  readonly description: string;
  readonly status: string;
  readonly assignee: string;
  readonly reporter: string;
  readonly created: string;
  readonly duedate?: IsoDate;
  readonly labels: readonly string[];
  readonly customFields: Readonly<Record<string, unknown>>;
  /** Issue properties to store, by key. */
  readonly properties: Readonly<Record<string, unknown>>;
}

export interface DemoPortfolio {
  readonly today: IsoDate;
  readonly issues: readonly SeedIssue[];
  /** Keys the store will give the issues, in creation order, for dependency links. */
  readonly keys: readonly string[];
}

const instant = (day: IsoDate, hour = 9): string => `${day}T${String(hour).padStart(2, '0')}:00:00.000Z`;

class Timeline {
  private readonly ops: Array<{ op: OpInput; by: string; at: string }> = [];
  add(day: IsoDate, by: SeedUser, op: OpInput, hour = 10): void {
    this.ops.push({ op, by: by.accountId, at: instant(day, hour) });
  }
  /** Applies every op in time order through the reducer; a refusal means the demo itself is wrong, so it throws. */
  build(template: StageGateTemplate, owner: SeedUser): ProjectRecord | null {
    let record: ProjectRecord | null = null;
    const ordered = [...this.ops].sort((a, b) => a.at.localeCompare(b.at)); // stable: same-time ops keep their order
    for (const { op, by, at } of ordered) {
      const roles =
        by === PEOPLE.pmoLead.accountId
          ? (['pmo', 'project-board'] as const)
          : by === PEOPLE.sponsor.accountId
            ? (['sponsor', 'steering-committee', 'project-board'] as const)
            : ([] as const);
      const ctx: OpContext = {
        template,
        mode: 'controlling',
        // Transitions are Tollgate's own record of what Jira did (the authority table accepts them from nobody else).
        actor: { accountId: by, roles: [...roles], ...(op.type === 'recordTransition' ? { via: 'workflow' } : {}) },
        projectOwner: owner.accountId,
      };
      const result = applyOp(record, { ...opPayloadSchema.parse(op), by, at }, ctx);
      if (!result.ok)
        throw new Error(`demo op ${op.type} refused: ${result.refusal.code} ${JSON.stringify(result.refusal.params)}`);
      record = result.record;
    }
    return record;
  }
}

const EVIDENCE = [
  { url: 'https://nordlys.atlassian.net/wiki/spaces/PMO/pages/1001', title: 'Signed document in Confluence' },
];

/** Ticks a gate's checklist: every must-meet when `complete`, otherwise the first `openMusts` are left open. */
function workGate(
  line: Timeline,
  template: StageGateTemplate,
  gateIndex: number,
  day: IsoDate,
  who: SeedUser,
  options: { openMusts?: number; score?: number },
) {
  const gate = template.stages[gateIndex]?.exitGate;
  if (!gate) return;
  let leftOpen = options.openMusts ?? 0;
  for (const c of gate.criteria) {
    if (c.kind === 'must' && leftOpen > 0) {
      leftOpen -= 1;
      continue;
    }
    line.add(day, who, {
      type: 'checkItem',
      gateId: gate.id,
      criterionId: c.id,
      state: 'done',
      score: c.kind === 'should' ? (options.score ?? 7) : undefined,
      evidence: c.evidenceRequired ? EVIDENCE : undefined,
    });
  }
}

function raidFor(
  line: Timeline,
  spec: ProjectSpec,
  start: IsoDate,
  now: IsoDate,
  random: () => number,
  keys: readonly string[],
) {
  const owner = spec.owner;
  // A closed project's log stops changing when it closes (the reducer refuses anything later).
  const today =
    spec.scenario === 'completed'
      ? addCalendarDays(now, -16)
      : spec.scenario === 'killed'
        ? addCalendarDays(now, -41)
        : now;
  // Well-run projects close their issues and review their risks; the scenarios that show neglect do not.
  const kept = spec.scenario !== 'stale' && spec.scenario !== 'extreme-risk';
  const calm = spec.scenario === 'healthy' || spec.scenario === 'completed';
  const drawn = 5 + Math.floor(random() * 12);
  const count = spec.raidItems ?? drawn;
  // A long log is spread over the project's life so it all fits before today (the demo's own logs keep 4 days).
  const step =
    spec.raidItems === undefined ? 4 : Math.max(1, Math.min(4, Math.floor((daysBetween(start, today) - 5) / count)));
  const seq = { risk: 0, issue: 0, assumption: 0 };
  const risks = [
    'Key supplier cannot deliver on time',
    'Integration partner API changes without notice',
    'Regulator changes reporting requirements',
    'Critical specialist leaves the team',
    'Licence costs rise at renewal',
    'Data quality too poor for migration',
    'Security review finds blocking issues',
    'Field crews unavailable in winter season',
  ];
  for (let i = 0; i < count; i++) {
    const day = addCalendarDays(start, 3 + i * step);
    if (day > addCalendarDays(today, -2)) break;
    const kind = i % 4;
    if (kind === 0 || kind === 3) {
      const likelihood = (1 + Math.floor(random() * 4)) as 1 | 2 | 3 | 4;
      const impact = (2 + Math.floor(random() * 3)) as 2 | 3 | 4;
      const id = `R-${++seq.risk}`;
      line.add(day, P.member, {
        type: 'addRaidItem',
        item: {
          type: 'risk',
          title: risks[(i + spec.summary.length) % risks.length]!,
          owner: owner.accountId,
          likelihood,
          impact,
          residualLikelihood: (calm ? 1 : Math.max(1, likelihood - 1)) as 1 | 2 | 3 | 4,
          residualImpact: (calm ? Math.min(impact, 3) : impact) as 2 | 3 | 4,
          response: 'reduce',
          mitigation: 'Weekly check-in with the supplier; fallback option priced.',
          nextReviewAt: addCalendarDays(day, 30),
        },
      });
      if (kept) {
        // Never before the risk was logged (a long log fills the last days too).
        const reviewed = addCalendarDays(today, -1 - (i % 10));
        line.add(reviewed < day ? day : reviewed, owner, {
          type: 'reviewRaidItem',
          id,
          nextReviewAt: addCalendarDays(today, 14 + (i % 14)),
        });
      }
    } else if (kind === 1) {
      const id = `A-${++seq.assumption}`;
      line.add(day, P.member, {
        type: 'addRaidItem',
        item: {
          type: 'assumption',
          title: 'Business units release staff for user testing',
          owner: owner.accountId,
          sensitivity: 'high',
          confidence: 'medium',
          validateBy: addCalendarDays(day, 45),
        },
      });
      if (kept && addCalendarDays(day, 20) < today) {
        line.add(addCalendarDays(day, 20), owner, { type: 'updateRaidItem', id, changes: { validation: 'validated' } });
      }
    } else {
      const id = `I-${++seq.issue}`;
      const due = addCalendarDays(day, 21);
      line.add(day, P.member, {
        type: 'addRaidItem',
        item: {
          type: 'issue',
          title: 'Test environment not available',
          owner: owner.accountId,
          severity: 2,
          dueDate: due,
        },
      });
      if (kept && due < today)
        line.add(addCalendarDays(due, -2), owner, {
          type: 'closeRaidItem',
          id,
          note: 'Environment delivered by the platform team.',
        });
    }
  }
  line.add(addCalendarDays(start, 2), owner, {
    type: 'addRaidItem',
    item: {
      type: 'decision',
      title: 'Delivery approach',
      owner: owner.accountId,
      statement: 'Decide to deliver in quarterly increments',
      rationale: 'Earlier benefits and feedback',
      approver: P.sponsor.accountId,
      decidedAt: addCalendarDays(start, 2),
    },
  });
  if (spec.dependsOn !== undefined) {
    line.add(addCalendarDays(start, 5), owner, {
      type: 'addRaidItem',
      item: {
        type: 'dependency',
        title: `Needs the platform from ${keys[spec.dependsOn]}`,
        owner: owner.accountId,
        direction: 'inbound',
        counterpartyKey: keys[spec.dependsOn]!,
        neededBy: addCalendarDays(today, 40),
        deliveryStatus: 'on-track',
      },
    });
  }
  if (spec.scenario === 'extreme-risk') {
    line.add(addCalendarDays(today, -12), P.member, {
      type: 'addRaidItem',
      item: {
        type: 'risk',
        title: 'Legacy system cannot be patched before go-live',
        owner: owner.accountId,
        likelihood: 4,
        impact: 5,
        response: 'accept',
      },
    });
  }
}

/** Builds one project's documents by playing its history through the reducer. */
function projectHistory(spec: ProjectSpec, index: number, today: IsoDate, keys: readonly string[]) {
  const template = spec.template === 'cooper' ? COOPER : PRINCE2;
  const random = prng(index + 1);
  const stageDays = 35 + Math.floor(random() * 20);
  // The last gate passed 50–70 days ago, so everything the current stage shows happened after it.
  const start = addCalendarDays(today, -(spec.stage * stageDays + 50 + Math.floor(random() * 20)));
  const line = new Timeline();
  if (spec.scenario === 'ungoverned') return { template, start, record: null, stageDays };
  line.add(start, P.pmoLead, {
    type: 'startGovernance',
    templateId: template.id,
    templateVersion: template.version,
    nextGateDate: addCalendarDays(start, stageDays),
  });
  // The owner answers for the prioritisation inputs (src/domain/authority.ts).
  line.add(start, spec.owner, {
    type: 'setPriorityInputs',
    inputs: {
      businessValue: [3, 5, 8, 13][index % 4],
      timeCriticality: [2, 5, 8][index % 3],
      riskReduction: [1, 3, 5][index % 3],
      jobSize: [3, 5, 8, 13][(index + 1) % 4],
      expectedBenefit: 2_000_000 + index * 150_000,
      cost: 800_000 + index * 40_000,
    },
  });
  raidFor(line, spec, start, today, random, keys);
  // Pass every gate up to the current stage.
  for (let g = 0; g < spec.stage; g++) {
    const gateDay = addCalendarDays(start, (g + 1) * stageDays);
    workGate(line, template, g, addCalendarDays(gateDay, -5), P.member, { score: 7 + (index % 3) });
    const gate = template.stages[g]!.exitGate!;
    const decider = gate.deciders.includes('pmo') ? P.pmoLead : P.sponsor;
    const next = addCalendarDays(gateDay, stageDays);
    const isCurrentConditional =
      (spec.scenario === 'conditional-lapsed' || spec.scenario === 'conditional-open') && g === spec.stage - 1;
    line.add(gateDay, decider, {
      type: 'decideGate',
      gateId: gate.id,
      outcome: isCurrentConditional ? 'CONDITIONAL_GO' : 'GO',
      rationale: isCurrentConditional
        ? 'Strong case; go on condition that the open points are closed.'
        : `Criteria met; proceed to ${template.stages[g + 1]!.name}.`,
      nextGateDate: next,
      ...(isCurrentConditional
        ? {
            conditions: ['Security architecture signed off', 'Operations budget confirmed'],
            conditionsDueDate:
              spec.scenario === 'conditional-lapsed' ? addCalendarDays(today, -10) : addCalendarDays(today, 20),
          }
        : {}),
    });
    line.add(addCalendarDays(gateDay, 1), P.pmoLead, {
      type: 'recordTransition',
      fromStatus: STAGE_STATUS[template.stages[g]!.id]!,
      toStatus: STAGE_STATUS[template.stages[g + 1]!.id]!,
      gateId: gate.id,
    });
  }
  const currentGate = template.stages[spec.stage]?.exitGate;
  const recent = addCalendarDays(today, -6);
  switch (spec.scenario) {
    case 'gate-overdue':
      workGate(line, template, spec.stage, addCalendarDays(today, -30), P.member, { openMusts: 1, score: 6 });
      line.add(addCalendarDays(today, -30), P.pmoLead, {
        type: 'setNextGateDate',
        nextGateDate: addCalendarDays(today, -9),
      });
      break;
    case 'musts-open-near-gate':
      workGate(line, template, spec.stage, recent, P.member, { openMusts: 2, score: 6 });
      line.add(recent, P.pmoLead, { type: 'setNextGateDate', nextGateDate: addCalendarDays(today, 6) });
      break;
    case 'on-hold':
      workGate(line, template, spec.stage, addCalendarDays(today, -20), P.member, {});
      line.add(addCalendarDays(today, -14), P.pmoLead, {
        type: 'decideGate',
        gateId: currentGate!.id,
        outcome: 'HOLD',
        rationale: 'Waiting for the 2027 capacity plan before committing the tender team.',
        nextGateDate: addCalendarDays(today, 45),
      });
      break;
    case 'recycled':
      workGate(line, template, spec.stage, addCalendarDays(today, -25), P.member, { score: 5 });
      line.add(addCalendarDays(today, -18), P.pmoLead, {
        type: 'decideGate',
        gateId: currentGate!.id,
        outcome: 'RECYCLE',
        rationale: 'Market sizing is not credible yet; rework with sales data and present again.',
        nextGateDate: addCalendarDays(today, 24),
      });
      break;
    case 'killed':
      workGate(line, template, spec.stage, addCalendarDays(today, -40), P.member, { score: 3 });
      line.add(addCalendarDays(today, -33), P.pmoLead, {
        type: 'decideGate',
        gateId: currentGate!.id,
        outcome: 'KILL',
        rationale: 'Payback beyond ten years at current prices; resources released to the grid programme.',
      });
      break;
    case 'completed':
      // Closure is accepted by the sponsor, not declared by the team (src/domain/authority.ts).
      line.add(addCalendarDays(today, -15), P.sponsor, {
        type: 'completeProject',
        summary: 'Delivered; benefits review planned for next quarter.',
      });
      break;
    default:
      if (currentGate) {
        workGate(line, template, spec.stage, recent, P.member, { openMusts: 1, score: 7 });
        line.add(recent, P.pmoLead, {
          type: 'setNextGateDate',
          nextGateDate: addCalendarDays(today, 25 + (index % 20)),
        });
      }
  }
  if (spec.template === 'prince2' && spec.scenario !== 'killed') {
    const breach = spec.scenario === 'tolerance-breach';
    line.add(addCalendarDays(start, 3), P.pmoLead, {
      type: 'setTolerance',
      tolerance: {
        aspect: 'cost',
        level: 'stage',
        baseline: 1_200_000,
        forecast: breach ? 1_420_000 : 1_250_000,
        plus: 120_000,
        minus: 60_000,
        unit: 'NOK',
      },
    });
    line.add(addCalendarDays(start, 3), P.pmoLead, {
      type: 'setTolerance',
      tolerance: {
        aspect: 'time',
        level: 'stage',
        baseline: 90,
        forecast: breach ? 104 : 92,
        plus: 10,
        minus: 5,
        unit: 'days',
      },
    });
  }
  if (spec.scenario === 'stale') {
    // Reviewed once, weeks ago: staleness shows amber before it turns red.
    const when = addCalendarDays(today, -(18 + (index % 10)));
    line.add(
      when,
      spec.owner,
      { type: 'recordStatusReview', summary: 'Waiting on legal input.', confidence: 'low' },
      15,
    );
  } else if (spec.scenario !== 'killed' && spec.scenario !== 'completed') {
    line.add(
      addCalendarDays(today, -(3 + (index % 9))),
      spec.owner,
      {
        type: 'recordStatusReview',
        summary: 'On track for the next gate; supplier risk watched weekly.',
        confidence: 'medium',
      },
      15,
    );
  }
  return { template, start, record: line.build(template, spec.owner), stageDays };
}

function signedLess(document: GovernanceDocument | RaidShard): unknown {
  // Seeded unsigned: sandbox/seed/signatures.ts signs them with the installation's key once the Forge runtime has one
  // (docs/architecture.md §4), as if Tollgate had written them.
  return JSON.parse(JSON.stringify(document)) as unknown;
}

/** The demo portfolio as of `today`; `specs` replaces the demo's forty projects (benchmarks use thousands). */
export function demoPortfolio(today: IsoDate, specs: readonly ProjectSpec[] = SPECS): DemoPortfolio {
  let pmo = 0;
  let conf = 0;
  const keys = specs.map((s) => (s.confidential ? `CONF-${++conf}` : `PMO-${++pmo}`));
  const built = specs.map((spec, index) => ({
    spec,
    index,
    key: keys[index]!,
    ...projectHistory(spec, index, today, keys),
  }));

  const facts: ProjectFacts[] = built.map(({ spec, key, template, record, start, stageDays }) => {
    const bac = 1_000_000 + ((key.length * 97_000) % 3_000_000);
    const overBudget = spec.scenario === 'over-budget';
    return {
      key,
      summary: spec.summary,
      governance: record?.governance ?? null,
      template: record ? template : null,
      raid: record?.raid ?? { items: [], nextSeq: { risk: 1, assumption: 1, issue: 1, dependency: 1, decision: 1 } },
      dueDate: addCalendarDays(start, template.stages.length * stageDays + 80),
      startDate: start,
      createdAt: instant(start, 8),
      owner: spec.owner.accountId,
      department: spec.department,
      evm:
        spec.stage >= 2
          ? { bac, pv: bac * 0.45, ev: bac * (overBudget ? 0.4 : 0.44), ac: bac * (overBudget ? 0.52 : 0.43) }
          : undefined,
    };
  });
  const assessed = assessPortfolio(facts, DEFAULT_HEALTH_CONFIG, today);

  const issues: SeedIssue[] = built.map(({ spec, key, record, template }, i) => {
    const fact = facts[i]!;
    const health: HealthDocument = toHealthDocument(assessed[i]!.standalone, 'unsigned', instant(today, 6));
    const properties: Record<string, unknown> = { 'tollgate-health': health };
    if (record) {
      properties['tollgate-governance'] = signedLess(record.governance);
      const split = splitRaidLog(record.raid, record.governance.rev);
      if (!split.ok) throw new Error(`demo RAID log for ${key} does not fit: ${split.message}`);
      split.shards.forEach((shard, n) => {
        properties[n === 0 ? 'tollgate-raid' : `tollgate-raid-${n + 1}`] = signedLess(shard);
      });
    }
    const status = !record
      ? 'Discovery'
      : record.governance.status === 'killed'
        ? 'Cancelled'
        : record.governance.status === 'completed'
          ? 'Done'
          : record.governance.status === 'on-hold'
            ? 'On Hold'
            : (STAGE_STATUS[record.governance.stage] ?? 'Discovery');
    return {
      projectKey: spec.confidential ? 'CONF' : 'PMO',
      summary: spec.summary,
      description: `${spec.summary}: a ${spec.department} initiative governed with the ${template.name} template.`,
      status,
      assignee: spec.owner.accountId,
      reporter: P.pmoLead.accountId,
      created: fact.createdAt,
      duedate: fact.dueDate,
      labels: [spec.department.toLowerCase().replace(/[^a-z]+/g, '-')],
      customFields: {
        [CUSTOM_FIELDS.department.id]: { value: spec.department },
        [CUSTOM_FIELDS.startDate.id]: fact.startDate,
        ...(fact.evm
          ? {
              [CUSTOM_FIELDS.bac.id]: fact.evm.bac,
              [CUSTOM_FIELDS.pv.id]: fact.evm.pv,
              [CUSTOM_FIELDS.ev.id]: fact.evm.ev,
              [CUSTOM_FIELDS.ac.id]: fact.evm.ac,
            }
          : {}),
      },
      properties,
    };
  });
  return { today, issues, keys };
}
