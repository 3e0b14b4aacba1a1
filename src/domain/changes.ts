/**
 * What changed between two days, for the steering committee that meets again: projects that turned red, got worse
 * or better, whose worst open risk crossed a band, and the gate decisions recorded in between. Pure: the states come
 * from two weekly snapshots (or one and today's live portfolio), the decisions from the projects' entries.
 */
import { type GateOutcome } from './gates';
import { type RagOrNone, ragSeverity } from './rag';
import { RISK_BANDS, type RiskBand } from './risk-bands';
import { type IsoDate } from './time';

/** A project as one day saw it; `risk` is null when that day's record did not keep risk bands (older snapshots). */
export interface ProjectState {
  readonly key: string;
  readonly rag: RagOrNone;
  readonly risk: RiskBand | 'none' | null;
}

export interface RagChange {
  readonly key: string;
  /** Null for a project the earlier day did not have (new in the registry since). */
  readonly from: RagOrNone | null;
  readonly to: RagOrNone;
}

export interface RiskBandChange {
  readonly key: string;
  readonly from: RiskBand | 'none';
  readonly to: RiskBand | 'none';
}

/** A gate decision as a project's entry keeps it: which gate (its name), what, and on which day. */
export interface DecisionMade {
  readonly key: string;
  readonly gate: string;
  readonly outcome: GateOutcome;
  readonly day: IsoDate;
}

export interface PortfolioChanges {
  /** Red now and not red before (including projects new since). */
  readonly newReds: readonly RagChange[];
  /** Worse than before, short of turning red. */
  readonly worse: readonly RagChange[];
  readonly better: readonly RagChange[];
  /** Worst open risk in a higher band than before, or in a lower one; null when the earlier day kept no bands. */
  readonly risksUp: readonly RiskBandChange[] | null;
  readonly risksDown: readonly RiskBandChange[] | null;
  /** In the later day and not in the earlier one. */
  readonly added: readonly string[];
}

/** 'none' (no open risk, or not judged) below every band. */
const bandRank = (band: RiskBand | 'none'): number => (band === 'none' ? -1 : RISK_BANDS.indexOf(band));

/** Keys as people read them: by project, then number. */
const byKey = (a: { readonly key: string }, b: { readonly key: string }): number =>
  a.key.localeCompare(b.key, 'en', { numeric: true });

/**
 * The changes from `before` to `after`. A project only in `before` (left the registry, or hidden from the reader
 * now) is not reported; one only in `after` is `added`, and a new red when it is red.
 */
export function portfolioChanges(before: readonly ProjectState[], after: readonly ProjectState[]): PortfolioChanges {
  const earlier = new Map(before.map((state) => [state.key, state]));
  const recorded = before.length === 0 || before.every((state) => state.risk !== null);
  const newReds: RagChange[] = [];
  const worse: RagChange[] = [];
  const better: RagChange[] = [];
  const risksUp: RiskBandChange[] = [];
  const risksDown: RiskBandChange[] = [];
  const added: string[] = [];
  for (const now of after) {
    const then = earlier.get(now.key);
    if (!then) {
      added.push(now.key);
      if (now.rag === 'red') newReds.push({ key: now.key, from: null, to: 'red' });
      continue;
    }
    const change = { key: now.key, from: then.rag, to: now.rag };
    // A project that stopped being judged (completed, or 'none') is not "better": it left the comparison.
    if (now.rag === 'red' && then.rag !== 'red') newReds.push(change);
    else if (now.rag !== 'none' && then.rag !== 'none' && ragSeverity(now.rag) > ragSeverity(then.rag))
      worse.push(change);
    else if (now.rag !== 'none' && then.rag !== 'none' && ragSeverity(now.rag) < ragSeverity(then.rag))
      better.push(change);
    if (then.risk !== null && now.risk !== null && then.risk !== now.risk) {
      const band = { key: now.key, from: then.risk, to: now.risk };
      (bandRank(now.risk) > bandRank(then.risk) ? risksUp : risksDown).push(band);
    }
  }
  return {
    newReds: newReds.sort(byKey),
    worse: worse.sort(byKey),
    better: better.sort(byKey),
    risksUp: recorded ? risksUp.sort(byKey) : null,
    risksDown: recorded ? risksDown.sort(byKey) : null,
    added: added.sort((a, b) => a.localeCompare(b, 'en', { numeric: true })),
  };
}

/** The decisions recorded after `from` and up to and including `to`, latest first. */
export function decisionsBetween(decisions: readonly DecisionMade[], from: IsoDate, to: IsoDate): DecisionMade[] {
  return decisions
    .filter((decision) => decision.day > from && decision.day <= to)
    .sort((a, b) => b.day.localeCompare(a.day) || byKey(a, b));
}
