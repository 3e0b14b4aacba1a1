/**
 * BENCHMARKS.md's reliability summary: how many attacks of each class the reliability suite runs and how many got
 * through, from the figures each test file writes (test-results/reliability.json) and the outcome of its tests
 * (test-results/jest.json). A suite that counts no attacks of its own counts one per test. "Got through" adds what a
 * suite's own figures say slipped past (a leak, a lost update, a forgery not flagged) to its failed tests, so a
 * figure that stopped being written, or a test that failed before writing it, cannot read as "none".
 */

/** Passed and failed tests of one test file. */
export interface FileOutcome {
  readonly passed: number;
  readonly failed: number;
}

/** Outcomes by test file, relative to the app's root (`test/reliability/tamper.test.ts`). */
export type TestOutcomes = Readonly<Record<string, FileOutcome>>;

type Figures = Readonly<Record<string, unknown>>;

interface AttackSuite {
  readonly attackClass: string;
  /** Its entry in reliability.json; absent for suites that write no figures. */
  readonly suite?: string;
  readonly file: string;
  /** What one attack is. */
  readonly attack: string;
  /** Attacks run, from the suite's figures; undefined: one per test. */
  readonly attacks?: (figures: Figures) => number;
  /** What got past the defence, by the suite's own figures (failed tests are added to it). */
  readonly through?: (figures: Figures) => number;
  /** What getting through would mean. */
  readonly breach: string;
}

const n = (figures: Figures, key: string): number => {
  const value = figures[key];
  return typeof value === 'number' ? value : Number.NaN;
};
const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);
/** Attacks minus the fewest of them that every defence listed caught. */
const notCaughtBy =
  (...defences: string[]) =>
  (figures: Figures): number =>
    n(figures, 'attacks') - Math.min(...defences.map((key) => n(figures, key)));

/** Each file of the suite, the class of review finding it attacks, and how it counts. */
export const ATTACK_SUITES: readonly AttackSuite[] = [
  {
    attackClass: 'Integrity',
    suite: 'tamper',
    file: 'test/reliability/tamper.test.ts',
    attack: 'a forged or rolled-back record written through REST',
    attacks: (f) => n(f, 'attacks'),
    through: notCaughtBy('flaggedInPanel', 'flaggedInHealthIndex', 'transitionsBlocked', 'restored'),
    breach: 'not flagged, not blocked at the gate, or not restored',
  },
  {
    attackClass: 'Integrity',
    suite: 'transplant',
    file: 'test/reliability/transplant.test.ts',
    attack: "another issue's signed record copied onto a project",
    attacks: (f) => n(f, 'attacks'),
    through: notCaughtBy('flaggedInPanel', 'removedOrRestored'),
    breach: 'read as genuine, or left in place',
  },
  {
    attackClass: 'Integrity',
    suite: 'deleted-record',
    file: 'test/reliability/deleted-record.test.ts',
    attack: 'a record deleted through REST',
    attacks: (f) => n(f, 'attacks'),
    through: notCaughtBy('flaggedInPanel', 'transitionsBlocked'),
    breach: 'read as ungoverned, or passed at the gate',
  },
  {
    attackClass: 'Integrity',
    suite: 'steering-integrity',
    file: 'test/reliability/steering-integrity.test.ts',
    attack: 'an unsigned or stripped record with a forged decision',
    attacks: (f) => n(f, 'attacks'),
    through: notCaughtBy('keptOutOfDecisionLog', 'keptOutOfExport', 'keptOutOfKpis', 'gatesRefused'),
    breach: 'in a steering document, its export, a KPI or through a gate',
  },
  {
    attackClass: 'Integrity',
    suite: 'unverified',
    file: 'test/reliability/unverified.test.ts',
    attack: 'a record Tollgate did not sign, on a project with no history',
    attacks: (f) => n(f, 'attacks'),
    through: notCaughtBy('transitionsBlocked', 'launderingRefused'),
    breach: 'passed at the gate or laundered by an op',
  },
  {
    attackClass: 'Integrity',
    file: 'test/reliability/read-model-agreement.test.ts',
    attack: 'a seeded random history of panel ops and Jira edits, kept in the read model as it happened',
    breach: 'a read-model row that differs from one rebuilt from Jira',
  },
  {
    attackClass: 'Integrity',
    suite: 'raid-shards',
    file: 'test/reliability/raid-shards.test.ts',
    attack: 'a legitimate RAID log in 4 or more shards',
    attacks: (f) => Object.keys(f).filter((key) => key.startsWith('shards')).length,
    breach: 'read as tampered, or its decisions lost',
  },
  {
    attackClass: 'Integrity',
    suite: 'corrupt-documents',
    file: 'test/reliability/corrupt-documents.test.ts',
    attack: 'a damaged or old-schema document',
    attacks: (f) => n(f, 'damagedProjects'),
    through: (f) => n(f, 'otherRowsChanged'),
    breach: 'a broken page, or another row changed',
  },
  {
    attackClass: 'Integrity',
    file: 'test/reliability/pending-write.test.ts',
    attack: 'a write that failed after its ledger claim',
    breach: 'reported failed though it landed, or applied twice',
  },
  {
    attackClass: 'Authority',
    file: 'test/reliability/authority.test.ts',
    attack: 'an op or restore by one of six roles, and a way around separation of duties',
    breach: 'an act the table refuses that succeeds or changes anything',
  },
  {
    attackClass: 'Authority',
    suite: 'permissions',
    file: 'test/reliability/permissions.test.ts',
    attack: 'a gate decision by a member or owner, a settings change by a non-admin',
    attacks: (f) => n(f, 'refusedActions'),
    breach: 'accepted, or anything changed',
  },
  {
    attackClass: 'Confidentiality',
    suite: 'permissions',
    file: 'test/reliability/permissions.test.ts',
    attack: 'a surface or JQL alias read by the outsider',
    attacks: (f) => n(f, 'surfacesChecked') + n(f, 'jqlAliasesChecked'),
    through: (f) => n(f, 'leaks'),
    breach: 'a CONF key, id or summary in the answer',
  },
  {
    attackClass: 'Confidentiality',
    suite: 'confidentiality',
    file: 'test/reliability/confidentiality.test.ts',
    attack: 'a surface showing projects that wait on a hidden red project',
    attacks: (f) => n(f, 'surfacesChecked'),
    through: (f) => n(f, 'leaks'),
    breach: 'red, or a dependency-red reason, from the hidden project',
  },
  {
    attackClass: 'The gate',
    file: 'test/integration/validator-gates.test.ts',
    attack: 'a transition judged against the gate it passes',
    breach: 'a wrong verdict for the gate, the decision or an override',
  },
  {
    attackClass: 'The gate',
    file: 'test/reliability/validator-during-write.test.ts',
    attack: 'a transition while a write is landing',
    breach: 'refused for a record it could not read',
  },
  {
    attackClass: 'The gate',
    suite: 'bulk-transitions',
    file: 'test/reliability/bulk-transitions.test.ts',
    attack: 'an issue in a bulk transition that may not pass',
    attacks: (f) => n(f, 'issuesSubmitted') - n(f, 'issuesPassed'),
    through: (f) => n(f, 'issuesSubmitted') - n(f, 'issuesPassed') - n(f, 'refusedWithValidatorReason'),
    breach: "passed, or refused without the validator's reason",
  },
  {
    attackClass: 'The gate',
    file: 'src/domain/health-sentences.test.ts',
    attack: 'a health sentence checked against the facts',
    breach: 'a sentence that says the opposite of the facts',
  },
  {
    attackClass: 'Bad input',
    suite: 'bad-input',
    file: 'test/reliability/bad-input.test.ts',
    attack: 'one finding of the review, through the real resolvers',
    attacks: (f) => n(f, 'total'),
    breach: 'accepted, INTERNAL, or anything changed',
  },
  {
    attackClass: 'Bad input',
    suite: 'fuzz',
    file: 'test/reliability/fuzz.test.ts',
    attack: 'a malformed payload or export event',
    attacks: (f) =>
      sum(
        Object.values((f.payloadsPerKey ?? {}) as Record<string, { sent?: unknown }>).map((key) =>
          typeof key.sent === 'number' ? key.sent : 0,
        ),
      ),
    breach: 'a throw, a success, a write, or a polluted prototype',
  },
  {
    attackClass: 'Bad input',
    suite: 'raid-overflow',
    file: 'test/reliability/raid-overflow.test.ts',
    attack: 'a RAID item added past one property',
    attacks: (f) => n(f, 'itemsAdded'),
    through: (f) => n(f, 'itemsLost'),
    breach: 'an item lost',
  },
  {
    attackClass: 'Platform',
    suite: 'concurrency',
    file: 'test/reliability/concurrency.test.ts',
    attack: 'a writer racing nine others on one issue',
    attacks: (f) => n(f, 'rounds') * n(f, 'opsPerRound'),
    through: (f) => n(f, 'lostUpdates') + n(f, 'duplicates'),
    breach: 'a lost update or a duplicate',
  },
  {
    attackClass: 'Platform',
    suite: 'faults',
    file: 'test/reliability/faults.test.ts',
    attack: 'a Jira fault (429, 5xx, HTML, latency) injected',
    attacks: (f) => n(f, 'faultsInjected'),
    through: (f) => n(f, 'writesReportedFailedButLanded') + n(f, 'halfWrittenDocuments'),
    breach: 'a write reported failed that landed, or a half-written record',
  },
];

/** One line of the summary; `null` where the figures or the test outcome were not found. */
export interface AttackRow {
  readonly attackClass: string;
  readonly file: string;
  readonly attack: string;
  readonly attacks: number | null;
  readonly gotThrough: number | null;
  readonly breach: string;
}

/** The summary, one row per suite (a file counted in two classes has two rows). */
export function attackRows(reliability: unknown, outcomes: TestOutcomes | null): AttackRow[] {
  const all = (typeof reliability === 'object' && reliability !== null ? reliability : {}) as Record<string, Figures>;
  return ATTACK_SUITES.map((suite) => {
    const figures = suite.suite !== undefined ? all[suite.suite] : undefined;
    const outcome = outcomes?.[suite.file];
    const counted = suite.attacks && figures ? suite.attacks(figures) : undefined;
    const attacks = suite.attacks
      ? counted !== undefined && Number.isFinite(counted)
        ? counted
        : null
      : outcome
        ? outcome.passed + outcome.failed
        : null;
    const slipped = suite.through ? (figures ? suite.through(figures) : Number.NaN) : 0;
    const gotThrough = outcome && Number.isFinite(slipped) ? slipped + outcome.failed : null;
    return {
      attackClass: suite.attackClass,
      file: suite.file,
      attack: suite.attack,
      attacks,
      gotThrough,
      breach: suite.breach,
    };
  });
}

/** Test outcomes by file from jest's `--json` report (absolute paths made relative to `root`). */
export function testOutcomes(jestReport: unknown, root: string): TestOutcomes {
  const results = (jestReport as { testResults?: unknown }).testResults;
  if (!Array.isArray(results)) return {};
  const outcomes: Record<string, FileOutcome> = {};
  for (const result of results as Array<{ name?: unknown; assertionResults?: unknown }>) {
    if (typeof result.name !== 'string' || !Array.isArray(result.assertionResults)) continue;
    const statuses = (result.assertionResults as Array<{ status?: unknown }>).map((a) => a.status);
    const file = result.name.startsWith(`${root}/`) ? result.name.slice(root.length + 1) : result.name;
    outcomes[file] = {
      passed: statuses.filter((s) => s === 'passed').length,
      failed: statuses.filter((s) => s !== 'passed').length,
    };
  }
  return outcomes;
}
