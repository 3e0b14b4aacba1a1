/**
 * Every sentence health says about a RAID log must agree with the log. For any log, each reason of the RAID and risk
 * dimensions is checked against facts this test works out on its own from the items: the counts and ids a sentence
 * names, and every "none …" or "no …" it claims. A sentence that summarises more than its rule looked at (a log
 * called "none unvalidated" over an unvalidated assumption the rule ignores) fails here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { DEFAULT_HEALTH_CONFIG, assessHealth } from './health';
import { type Catalog, formatMessage } from './messages';
import { type Rag, type Reason } from './rag';
import { type RaidItem, raidItemSchema } from './raid';
import { buildAssumption, buildDependency, buildFacts, buildIssue, buildRaidLog, buildRisk } from './testing/builders';
import { daysBetween, type IsoDate } from './time';

/** The day every log is judged on: passed in, never read from the clock. */
const TODAY: IsoDate = '2026-03-02';
/** Dates either side of today, and today itself: what decides "overdue". */
const DATES: readonly IsoDate[] = ['2026-02-26', '2026-02-28', '2026-03-01', '2026-03-02', '2026-03-03', '2026-03-09'];
const COUNTERPARTIES = ['PMO-90', 'PMO-91', 'PMO-92'] as const;

const date = fc.option(fc.constantFrom(...DATES), { nil: undefined });
const status = fc.constantFrom('open', 'open', 'closed' as const);
const level = fc.constantFrom(1, 2, 3, 4, 5 as const);

/** One item of each type with everything a rule reads varied; ids are given when the log is put together. */
const item = fc.oneof(
  fc
    .record({
      status,
      likelihood: level,
      impact: level,
      residualLikelihood: fc.option(level, { nil: undefined }),
      residualImpact: fc.option(level, { nil: undefined }),
      response: fc.option(fc.constantFrom('avoid', 'reduce', 'transfer', 'accept' as const), { nil: undefined }),
      nextReviewAt: date,
    })
    .map((fields) => (id: string) => buildRisk({ ...fields, id })),
  fc
    .record({
      status,
      sensitivity: fc.constantFrom('low', 'medium', 'high', 'critical' as const),
      validation: fc.constantFrom('unvalidated', 'validated', 'invalidated' as const),
      validateBy: date,
      nextReviewAt: date,
    })
    .map((fields) => (id: string) => buildAssumption({ ...fields, id })),
  fc
    .record({ status, severity: fc.constantFrom(1, 2, 3 as const), dueDate: date, nextReviewAt: date })
    .map((fields) => (id: string) => buildIssue({ ...fields, id })),
  fc
    .record({
      status,
      direction: fc.constantFrom('inbound', 'outbound' as const),
      counterpartyKey: fc.constantFrom(...COUNTERPARTIES),
      neededBy: date,
      deliveryStatus: fc.constantFrom('on-track', 'at-risk', 'blocked', 'delivered' as const),
      nextReviewAt: date,
    })
    .map((fields) => (id: string) => buildDependency({ ...fields, id })),
  fc.record({ status, nextReviewAt: date }).map(
    (fields) => (id: string) =>
      raidItemSchema.parse({
        ...fields,
        id,
        type: 'decision',
        title: `Decision ${id}`,
        owner: 'acc-owner',
        raisedBy: 'acc-owner',
        raisedAt: '2026-01-05T09:00:00.000Z',
        statement: 'Decide on the supplier',
        approver: 'acc-pmo',
        decidedAt: '2026-01-06',
      }),
  ),
);

const PREFIX: Record<RaidItem['type'], string> = {
  risk: 'R',
  assumption: 'A',
  issue: 'I',
  dependency: 'D',
  decision: 'DEC',
};

/** A log of up to a dozen items, numbered per type as the app numbers them. */
const log = fc.array(item, { maxLength: 12 }).map((makers) => {
  const seq: Record<string, number> = {};
  const items = makers.map((make) => {
    const probe = make('R-1');
    const prefix = PREFIX[probe.type];
    seq[prefix] = (seq[prefix] ?? 0) + 1;
    return make(`${prefix}-${seq[prefix]}`);
  });
  return buildRaidLog(items);
});

const ragOfCounterparty = fc.record({
  'PMO-90': fc.constantFrom<Rag>('red', 'amber', 'green'),
  'PMO-91': fc.constantFrom<Rag>('red', 'amber', 'green'),
});

const past = (day: IsoDate | undefined): boolean => day !== undefined && day < TODAY;
const idsOf = (items: readonly { id: string }[]): string[] => items.map((i) => i.id).sort();
const listed = (ids: unknown): string[] => String(ids).split(', ').sort();

/** Residual score on the 5×5 matrix: the reassessed rating where there is one, the inherent one otherwise. */
const residual = (r: Extract<RaidItem, { type: 'risk' }>) =>
  (r.residualLikelihood ?? r.likelihood) * (r.residualImpact ?? r.impact);
/** The default bands (docs/pmo-rules.md §4): 1–3 low, 4–6 moderate, 8–12 high, 15–25 extreme. */
const band = (score: number) => (score >= 15 ? 'extreme' : score >= 8 ? 'high' : score >= 4 ? 'moderate' : 'low');

/** What the log holds, worked out here independently of health.ts. */
function factsOf(items: readonly RaidItem[], counterpartyRag: Readonly<Record<string, Rag>>) {
  const open = items.filter((i) => i.status === 'open');
  const of = <T extends RaidItem['type']>(type: T) =>
    open.filter((i): i is Extract<RaidItem, { type: T }> => i.type === type);
  const issues = of('issue');
  const assumptions = of('assumption');
  const dependencies = of('dependency').filter((d) => d.deliveryStatus !== 'delivered');
  const risks = of('risk');
  const critical = assumptions.filter((a) => a.sensitivity === 'critical');
  const minor = assumptions.filter((a) => a.sensitivity !== 'critical');
  const lateToValidate = (a: (typeof assumptions)[number]) => a.validation === 'unvalidated' && past(a.validateBy);
  return {
    open,
    overdueIssues: issues.filter((i) => past(i.dueDate)),
    lateDependencies: dependencies.filter((d) => past(d.neededBy)),
    blocked: dependencies.filter((d) => d.deliveryStatus === 'blocked'),
    atRisk: dependencies.filter((d) => d.deliveryStatus === 'at-risk'),
    onRed: dependencies.filter((d) => d.direction === 'inbound' && counterpartyRag[d.counterpartyKey] === 'red'),
    reviewsOverdue: open.filter((i) => past(i.nextReviewAt)),
    notValidated: assumptions.filter((a) => a.validation !== 'validated'),
    lateAssumptions: assumptions.filter(lateToValidate),
    critical,
    minor,
    lateToValidate,
    risks,
  };
}

type Facts = ReturnType<typeof factsOf>;

/** What each sentence claims (its en-US wording), as a check on the facts. A code without an entry fails the test. */
const CLAIMS: Record<string, (params: Reason['params'], facts: Facts) => void> = {
  // "{open} open RAID items; none overdue, blocked or unvalidated."
  'raid.clear': (p, f) => {
    expect(p.open).toBe(f.open.length);
    expect(idsOf([...f.overdueIssues, ...f.lateDependencies, ...f.lateAssumptions, ...f.reviewsOverdue])).toEqual([]);
    expect(idsOf(f.blocked)).toEqual([]);
    expect(idsOf(f.notValidated)).toEqual([]);
  },
  // "{open} open RAID items; no issue, dependency or review is overdue, nothing is blocked and no critical
  // assumption is in doubt."
  'raid.noneFlagged': (p, f) => {
    expect(p.open).toBe(f.open.length);
    expect(idsOf([...f.overdueIssues, ...f.lateDependencies, ...f.reviewsOverdue])).toEqual([]);
    expect(idsOf(f.blocked)).toEqual([]);
    expect(idsOf(f.critical.filter((a) => a.validation !== 'validated'))).toEqual([]);
  },
  // "Critical issue {id} "{title}" was due on {dueDate} and is {days} days overdue."
  'raid.criticalIssueOverdue': (p, f) => {
    const issue = f.overdueIssues.find((i) => i.id === p.id);
    expect(issue?.severity).toBe(3);
    expect(p.dueDate).toBe(issue?.dueDate);
    expect(p.days).toBe(daysBetween(issue!.dueDate!, TODAY));
  },
  // "{count} issues are past their due date: {ids}." (the critical ones each have their own sentence)
  'raid.issueOverdue': (p, f) => {
    expect(listed(p.ids)).toEqual(idsOf(f.overdueIssues.filter((i) => i.severity !== 3)));
    expect(p.count).toBe(listed(p.ids).length);
  },
  // "Critical assumption {id} "{title}" has proved false and is still open."
  'raid.assumptionInvalidated': (p, f) => {
    expect(f.critical.find((a) => a.id === p.id)?.validation).toBe('invalidated');
  },
  // "Critical assumption {id} "{title}" was to be validated by {validateBy} and has not been."
  'raid.assumptionValidationOverdue': (p, f) => {
    const assumption = f.critical.find((a) => a.id === p.id);
    expect(assumption && f.lateToValidate(assumption)).toBe(true);
    expect(p.validateBy).toBe(assumption?.validateBy);
  },
  // "{count} critical assumptions are not yet validated: {ids}."
  'raid.assumptionUnvalidated': (p, f) => {
    const pending = f.critical.filter((a) => a.validation === 'unvalidated' && !f.lateToValidate(a));
    expect(listed(p.ids)).toEqual(idsOf(pending));
    expect(p.count).toBe(pending.length);
  },
  // "{count} non-critical assumptions were to be validated by now and are not: {ids}. …"
  'raid.minorAssumptionValidationLate': (p, f) => {
    const late = f.minor.filter(f.lateToValidate);
    expect(listed(p.ids)).toEqual(idsOf(late));
    expect(p.count).toBe(late.length);
  },
  // "{count} non-critical assumptions are not yet validated: {ids}."
  'raid.minorAssumptionUnvalidated': (p, f) => {
    const pending = f.minor.filter((a) => a.validation === 'unvalidated' && !f.lateToValidate(a));
    expect(listed(p.ids)).toEqual(idsOf(pending));
    expect(p.count).toBe(pending.length);
  },
  // "{count} non-critical assumptions have proved false and are still open: {ids}."
  'raid.minorAssumptionInvalidated': (p, f) => {
    const invalidated = f.minor.filter((a) => a.validation === 'invalidated');
    expect(listed(p.ids)).toEqual(idsOf(invalidated));
    expect(p.count).toBe(invalidated.length);
  },
  // "Dependency {id} ({direction}) with {counterparty} is blocked."
  'raid.dependencyBlocked': (p, f) => {
    expect(f.blocked.find((d) => d.id === p.id)).toMatchObject({
      counterpartyKey: p.counterparty,
      direction: p.direction,
    });
  },
  // "Dependency {id} ({direction}) with {counterparty} is at risk."
  'raid.dependencyAtRisk': (p, f) => {
    expect(f.atRisk.find((d) => d.id === p.id)).toMatchObject({
      counterpartyKey: p.counterparty,
      direction: p.direction,
    });
  },
  // "Dependency {id} … was needed by {neededBy} and has not been delivered."
  'raid.dependencyLate': (p, f) => {
    expect(f.lateDependencies.find((d) => d.id === p.id)?.neededBy).toBe(p.neededBy);
  },
  // "Dependency {id}: this project depends on {counterparty}, which is red."
  'raid.dependencyRed': (p, f) => {
    expect(f.onRed.find((d) => d.id === p.id)?.counterpartyKey).toBe(p.counterparty);
  },
  // "{count} RAID items are past their review date: {ids}."
  'raid.reviewOverdue': (p, f) => {
    expect(listed(p.ids)).toEqual(idsOf(f.reviewsOverdue));
    expect(p.count).toBe(f.reviewsOverdue.length);
  },
  // "No open risks."
  'risk.noOpenRisks': (_p, f) => {
    expect(idsOf(f.risks)).toEqual([]);
  },
  // "No open risks above moderate ({count} open; highest score {maxScore})."
  'risk.noneAboveModerate': (p, f) => {
    expect(f.risks.filter((r) => band(residual(r)) === 'high' || band(residual(r)) === 'extreme')).toEqual([]);
    expect(p.count).toBe(f.risks.length);
    expect(p.maxScore).toBe(Math.max(...f.risks.map(residual)));
  },
  // "{count} open risks are high after mitigation ({ids}); the highest score is {maxScore}."
  'risk.highOpen': (p, f) => {
    expect(f.risks.filter((r) => band(residual(r)) === 'extreme')).toEqual([]);
    const high = f.risks.filter((r) => band(residual(r)) === 'high');
    expect(listed(p.ids)).toEqual(idsOf(high));
    expect(p.count).toBe(high.length);
    expect(p.maxScore).toBe(Math.max(...f.risks.map(residual)));
  },
  // "{count} open risks are extreme after mitigation ({ids}); the highest score is {maxScore}."
  'risk.extremeOpen': (p, f) => {
    const extreme = f.risks.filter((r) => band(residual(r)) === 'extreme');
    expect(listed(p.ids)).toEqual(idsOf(extreme));
    expect(p.count).toBe(extreme.length);
    expect(p.maxScore).toBe(Math.max(...f.risks.map(residual)));
  },
  // "Risk {id} "{title}" is extreme (score {score}) and unmitigated (response: {response})."
  'risk.unmitigatedExtreme': (p, f) => {
    const risk = f.risks.find((r) => r.id === p.id)!;
    expect(p.score).toBe(risk.likelihood * risk.impact);
    expect(band(risk.likelihood * risk.impact)).toBe('extreme');
    const reassessed = risk.residualLikelihood !== undefined || risk.residualImpact !== undefined;
    expect(risk.response === undefined || (risk.response === 'accept' && !reassessed)).toBe(true);
    expect(p.response).toBe(risk.response ?? 'none');
  },
};

const catalogs = ['en-US', 'nb-NO', 'sv-SE'].map(
  (locale) => JSON.parse(readFileSync(join(__dirname, '../../locales', `${locale}.json`), 'utf8')) as Catalog,
);

describe('health sentences about a RAID log agree with the log', () => {
  it('for any log: every count, id and "none …" in a RAID or risk reason is true of the log', () => {
    fc.assert(
      fc.property(log, ragOfCounterparty, (raid, rags) => {
        const health = assessHealth(buildFacts({ raid }), DEFAULT_HEALTH_CONFIG, TODAY, (key) => rags[key as 'PMO-90']);
        const facts = factsOf(raid.items, rags);
        for (const r of [...health.dimensions.raid.reasons, ...health.dimensions.risk.reasons]) {
          const claim = CLAIMS[r.code];
          expect({ code: r.code, checked: claim !== undefined }).toEqual({ code: r.code, checked: true });
          claim!(r.params, facts);
          // Every locale says it with all its placeholders filled.
          for (const catalog of catalogs)
            expect(formatMessage(catalog, `reason.${r.code}`, r.params)).not.toMatch(/\{/);
        }
      }),
      // A fixed seed: the same logs on every run and every day.
      { numRuns: 300, seed: 20260302 },
    );
  });

  it('the case a review found: an unvalidated high-sensitivity assumption past its date is not "none unvalidated"', () => {
    const raid = buildRaidLog([buildAssumption({ sensitivity: 'high', validateBy: '2026-02-20' })]);
    const health = assessHealth(buildFacts({ raid }), DEFAULT_HEALTH_CONFIG, TODAY);
    const codes = health.dimensions.raid.reasons.map((r) => r.code);
    expect(codes).not.toContain('raid.clear');
    expect(codes).toEqual(['raid.noneFlagged', 'raid.minorAssumptionValidationLate']);
  });
});
