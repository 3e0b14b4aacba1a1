/**
 * The registry projects a benchmark portfolio is built from: N specs of the demo's own kind (template, stage,
 * scenario, owner, dependencies, RAID log length), drawn from a seeded PRNG so every run measures the same portfolio.
 * The seed's builders turn them into documents through the domain reducer (sandbox/seed/demo-portfolio.ts).
 */
import { prng } from '../sandbox/prng';
import { type ProjectSpec, type Scenario } from '../sandbox/seed/demo-portfolio';
import { PEOPLE } from '../sandbox/seed/people';

/** Stages per template: Cooper's six (Discovery … Launch) and PRINCE2's four (Starting up … Closing). */
const STAGES = { cooper: 6, prince2: 4 } as const;

const DEPARTMENTS = [
  'Grid Operations',
  'Finance',
  'Customer',
  'New Energy',
  'IT',
  'Renewables',
  'HR',
  'Legal',
  'Facilities',
  'Strategy',
] as const;

const SUBJECTS = [
  'Smart meter',
  'Substation',
  'Customer portal',
  'Wind farm',
  'Billing',
  'Field service',
  'Data platform',
  'Tariff',
  'Battery storage',
  'Network planning',
  'Payroll',
  'Identity',
] as const;

const WORK = [
  'rollout',
  'upgrade',
  'migration',
  'pilot',
  'tender',
  'integration',
  'redesign',
  'consolidation',
] as const;

/**
 * How often each scenario appears, out of 100: most projects are healthy, the rest show the problems a PMO looks for,
 * so a benchmark portfolio has every colour in proportions like the demo's.
 */
const SCENARIO_WEIGHTS: ReadonlyArray<readonly [Scenario, number]> = [
  ['healthy', 38],
  ['gate-overdue', 6],
  ['musts-open-near-gate', 7],
  ['extreme-risk', 5],
  ['on-hold', 3],
  ['recycled', 3],
  ['conditional-lapsed', 3],
  ['conditional-open', 4],
  ['killed', 3],
  ['completed', 4],
  ['stale', 6],
  ['tolerance-breach', 4],
  ['over-budget', 5],
  ['depends-on-red', 5],
  ['ungoverned', 4],
];

/** RAID entries a project logs besides its decision: 4–28, so with the decision (and a dependency) a log has 5–30. */
export const RAID_ITEMS = { min: 4, max: 28 } as const;

const OWNERS = [PEOPLE.owner, PEOPLE.owner2, PEOPLE.owner3] as const;

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function drawScenario(random: () => number): Scenario {
  const total = SCENARIO_WEIGHTS.reduce((sum, [, weight]) => sum + weight, 0);
  let ticket = random() * total;
  for (const [scenario, weight] of SCENARIO_WEIGHTS) {
    ticket -= weight;
    if (ticket < 0) return scenario;
  }
  return 'healthy';
}

/**
 * The stage a scenario can be in: a decision on the current gate needs a gate (not the last stage), a condition on
 * the last decision needs a passed gate, completion needs the last stage, an ungoverned project has none yet.
 */
function stageFor(random: () => number, scenario: Scenario, stages: number): number {
  const last = stages - 1;
  switch (scenario) {
    case 'completed':
      return last;
    case 'ungoverned':
      return 0;
    case 'conditional-lapsed':
    case 'conditional-open':
      return 1 + Math.floor(random() * (last - 1));
    case 'on-hold':
    case 'recycled':
    case 'killed':
    case 'musts-open-near-gate':
    case 'gate-overdue':
      return Math.floor(random() * last);
    default:
      return Math.floor(random() * stages);
  }
}

/**
 * `count` project specs, the same for the same `seed`. Projects that depend on another point at an earlier one, as
 * the demo's do; about one in twenty is confidential (the CONF project).
 * @throws {RangeError} when `count` is not a positive integer.
 */
export function benchmarkSpecs(count: number, seed = 2026): ProjectSpec[] {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`count must be a positive integer, not ${count}`);
  const random = prng(seed);
  const specs: ProjectSpec[] = [];
  for (let index = 0; index < count; index += 1) {
    const template = random() < 0.55 ? 'cooper' : 'prince2';
    let scenario = drawScenario(random);
    if (scenario === 'depends-on-red' && index === 0) scenario = 'healthy';
    const subject = pick(random, SUBJECTS);
    const work = pick(random, WORK);
    specs.push({
      summary: `${subject} ${work} ${index + 1}`,
      department: pick(random, DEPARTMENTS),
      template,
      stage: stageFor(random, scenario, STAGES[template]),
      scenario,
      owner: pick(random, OWNERS),
      ...(random() < 0.05 ? { confidential: true } : {}),
      ...(scenario === 'depends-on-red' ? { dependsOn: Math.floor(random() * index) } : {}),
      raidItems: RAID_ITEMS.min + Math.floor(random() * (RAID_ITEMS.max - RAID_ITEMS.min + 1)),
    });
  }
  return specs;
}
