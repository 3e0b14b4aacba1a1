/**
 * The issue panel's bridge contract: what `invoke('project/…')` sends and what comes back. static/ imports this
 * (never the reverse, docs/conventions.md rule 11), so it holds only zod schemas and plain JSON types: every optional
 * value is `null` rather than absent, because the bridge drops `undefined` and the UI should not have to guess which.
 *
 * No payload names the issue: the panel's issue comes from the invocation context Forge fills in
 * (`context.extension.issue.key`), so a caller can never point a write at an issue by editing a request
 * (docs/conventions.md rule 10).
 */
import { z } from 'zod';
import { type EnforcementMode } from '../domain/enforcement';
import { type ChecklistState, type GateOutcome, type ProjectStatus } from '../domain/gates';
import { type HealthDimension } from '../domain/health';
import { opPayloadSchema } from '../domain/ops';
import { type Rag, type RagOrNone } from '../domain/rag';
import { type RaidType } from '../domain/raid';
import { type RiskBand } from '../domain/risk';
import { type DeciderRole } from '../domain/templates';
import { type TemplateTerms } from './portfolio';

/** `project/load`: nothing; the issue is the one the panel is open on. */
export const projectLoadPayloadSchema = z.strictObject({});
export type ProjectLoadPayload = z.input<typeof projectLoadPayloadSchema>;

/** `project/apply`: one governance op (docs/architecture.md §4); `by` and `at` are set on the server, never taken from here. */
export const projectApplyPayloadSchema = z.strictObject({ op: opPayloadSchema });
export type ProjectApplyPayload = z.input<typeof projectApplyPayloadSchema>;

/** `project/restore`: nothing; a PMO lead restores the panel's issue from Tollgate's ledger. */
export const projectRestorePayloadSchema = z.strictObject({});
export type ProjectRestorePayload = z.input<typeof projectRestorePayloadSchema>;

/** A reason behind a colour: the UI shows `reason.<code>` from its locale catalog, filled with `params`. */
export interface ReasonView {
  readonly code: string;
  readonly rag: Rag;
  readonly params: Readonly<Record<string, string | number>>;
}

/**
 * Whether what Jira stores is what Tollgate wrote. `tampered` comes with why and with the last change made through
 * Tollgate (what a restore brings back); `damaged` with the problem that keeps the documents from being read.
 */
export interface IntegrityView {
  readonly status: 'ok' | 'repaired' | 'unverified' | 'damaged' | 'tampered';
  /** `foreign`: signed by Tollgate, but not for this issue (another issue's record copied here), see integrity.ts. */
  readonly tamperReason: 'signature' | 'rollback' | 'missing' | 'unreadable' | 'ledger-mismatch' | 'foreign' | null;
  /** Null when tampered with and Tollgate has no log of the project: nothing to restore, only records to remove. */
  readonly lastGenuine: { readonly rev: number; readonly by: string; readonly at: string } | null;
  readonly damage: string | null;
}

/** The template version the project follows, with where the project stands in it. */
export interface TemplateSummaryView {
  readonly id: string;
  readonly version: number;
  readonly name: string;
  /** Should-meet items are scored 0..scoreMax. */
  readonly scoreMax: number;
  readonly stages: ReadonlyArray<{ readonly id: string; readonly name: string; readonly current: boolean }>;
}

/** A template a PMO lead can start a project on: the newest version of a shipped or the PMO's own template. */
export interface TemplateOptionView extends TemplateSummaryView {
  readonly description: string;
  /** Shipped with Tollgate (true) or the PMO's own (false). */
  readonly shipped: boolean;
}

/** One criterion's state on this project; null on the criterion while nobody has touched it. */
export interface ChecklistItemView {
  readonly state: ChecklistState;
  readonly score: number | null;
  readonly note: string | null;
  readonly naReason: string | null;
  readonly evidence: ReadonlyArray<{ readonly url: string; readonly title: string }>;
  readonly by: string;
  readonly at: string;
}

/** A criterion of the current gate and its state. */
export interface CriterionView {
  readonly id: string;
  readonly title: string;
  readonly kind: 'must' | 'should';
  readonly weight: number;
  /** What a gatekeeper expects to see as proof. */
  readonly evidenceHint: string | null;
  readonly evidenceRequired: boolean;
  readonly item: ChecklistItemView | null;
}

/** The gate that closes the current stage: what it asks for and who decides it. */
export interface CurrentGateView {
  readonly id: string;
  readonly name: string;
  readonly deciders: readonly DeciderRole[];
  readonly criteria: readonly CriterionView[];
}

/** How ready the current gate is: every must-meet met and the weighted score at or above the threshold. */
export interface ReadinessView {
  /** Ids of must-meet criteria still open (see `CurrentGateView.criteria` for their titles). */
  readonly mustOpen: readonly string[];
  /** Weighted should-meet score 0..1; null when no should-meet criterion applies. */
  readonly score: number | null;
  readonly threshold: number;
  readonly ready: boolean;
}

/** A recorded gate decision. */
export interface DecisionView {
  readonly id: string;
  readonly gateId: string;
  /** The gate's name in the project's template (its id when the template is unknown). */
  readonly gateName: string;
  readonly outcome: GateOutcome;
  readonly decidedBy: string;
  readonly decidedAt: string;
  readonly rationale: string;
  readonly conditions: ReadonlyArray<{
    readonly id: string;
    readonly text: string;
    readonly metAt: string | null;
    readonly metBy: string | null;
  }>;
  readonly conditionsDueDate: string | null;
  /** Set when the PMO decided Go although the gate was not ready. */
  readonly overrideReason: string | null;
  /**
   * Who owned the project when it was decided, and everyone who held the owner field during the stage the gate
   * closed (owner included, in the order they held it): more than one name means it changed hands before the
   * decision. Null for decisions recorded before Tollgate kept it.
   */
  readonly ownership: { readonly owner: string | null; readonly stage: readonly string[] } | null;
  /** What a Conditional-Go whose conditions were not met in time became. */
  readonly lapsedTo: 'RECYCLE' | 'KILL' | null;
  /** Why it lapsed, as the decider recorded it. */
  readonly lapsedRationale: string | null;
  /**
   * Open Conditional-Go only: what lapsing it would do (the stage a Recycle sends the project back to; Kill ends
   * it), whether the viewer may mark its conditions met (`canSettle`: the gate's deciders or the PMO) and whether
   * they may lapse it (`canLapse`: the gate's deciders), as the authority table says.
   */
  readonly settle: {
    readonly recycleToStage: string;
    readonly canSettle: boolean;
    readonly canLapse: boolean;
  } | null;
}

/** A 5×5 score and the band the PMO's configuration puts it in. */
export interface RiskScoreView {
  readonly score: number;
  readonly band: RiskBand;
}

interface RaidItemBase {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly status: 'open' | 'closed';
  readonly owner: string;
  readonly nextReviewAt: string | null;
  readonly closedAt: string | null;
  readonly closedBy: string | null;
  readonly closeNote: string | null;
}

/** A 1..5 rating on one axis of the 5×5 matrix. */
export type RiskLevelView = 1 | 2 | 3 | 4 | 5;

/**
 * One RAID item with every field its edit form needs (src/domain/raid.ts), absent values as null, plus what the
 * panel's row derives (scores in the PMO's bands).
 */
export type RaidItemView =
  | (RaidItemBase & {
      readonly type: 'risk';
      readonly likelihood: RiskLevelView;
      readonly impact: RiskLevelView;
      readonly residualLikelihood: RiskLevelView | null;
      readonly residualImpact: RiskLevelView | null;
      readonly response: 'avoid' | 'reduce' | 'transfer' | 'accept' | null;
      readonly mitigation: string | null;
      readonly contingency: string | null;
      readonly proximity: string | null;
      readonly inherent: RiskScoreView;
      readonly residual: RiskScoreView;
    })
  | (RaidItemBase & {
      readonly type: 'assumption';
      readonly sensitivity: 'low' | 'medium' | 'high' | 'critical';
      readonly confidence: 'low' | 'medium' | 'high';
      readonly validation: 'unvalidated' | 'validated' | 'invalidated';
      readonly validateBy: string | null;
    })
  | (RaidItemBase & {
      readonly type: 'issue';
      readonly severity: 1 | 2 | 3;
      readonly priority: 'low' | 'medium' | 'high';
      readonly dueDate: string | null;
      readonly resolution: string | null;
    })
  | (RaidItemBase & {
      readonly type: 'dependency';
      readonly direction: 'inbound' | 'outbound';
      readonly counterpartyKey: string;
      readonly neededBy: string | null;
      readonly committedDate: string | null;
      readonly deliveryStatus: 'on-track' | 'at-risk' | 'blocked' | 'delivered';
    })
  | (RaidItemBase & {
      readonly type: 'decision';
      readonly statement: string;
      readonly rationale: string;
      readonly approver: string;
      readonly decidedAt: string;
    });

/** Project health: overall, each dimension in the usual order, and the reasons behind every colour. */
export interface HealthView {
  readonly overall: RagOrNone;
  /** Killed or completed: nothing is judged any more. */
  readonly closed: boolean;
  /** Reasons about the project as a whole; the rest sit with their dimension. */
  readonly reasons: readonly ReasonView[];
  readonly dimensions: ReadonlyArray<{
    readonly dimension: HealthDimension;
    readonly rag: RagOrNone;
    readonly reasons: readonly ReasonView[];
  }>;
}

/** What the viewer may do here, so the panel offers only actions that can succeed. */
export interface ViewerAbilitiesView {
  /** Tick items and keep the RAID log: Jira edit permission, a governed open project, documents Tollgate trusts. */
  readonly canEdit: boolean;
  /**
   * Decide the current gate: `canEdit`, a decider role of that gate, and in directive mode not someone who owned the
   * project during its current stage (the authority table, src/domain/authority.ts).
   */
  readonly canDecide: boolean;
  /** Restore the documents from the ledger: the PMO role. */
  readonly canRestore: boolean;
  readonly mode: EnforcementMode;
}

/** `project/load` (and the result of apply/restore): everything the issue panel renders. */
export interface ProjectPanelView {
  readonly issue: { readonly key: string; readonly summary: string };
  readonly integrity: IntegrityView;
  /** Null when the project is not under governance (or its documents cannot be read: see `integrity.damage`). */
  readonly governance: {
    readonly rev: number;
    readonly status: ProjectStatus;
    readonly nextGateDate: string | null;
  } | null;
  /** Null when the project's template version is unknown or the project is not governed. */
  /** The template's stage, gate and criterion names in the reader's language, for its health reasons. */
  readonly terms: TemplateTerms;
  readonly template: TemplateSummaryView | null;
  /** Null at the last stage or without governance. */
  readonly currentGate: CurrentGateView | null;
  readonly readiness: ReadinessView | null;
  /** Newest first. */
  readonly decisions: readonly DecisionView[];
  /** Every item of the log, by type, in id order. */
  readonly raid: Readonly<Record<RaidType, readonly RaidItemView[]>>;
  /** The PMO's risk bands (lowest first), so the 5×5 matrix is coloured the way health judged it. */
  readonly riskBands: ReadonlyArray<{ readonly band: RiskBand; readonly min: number; readonly max: number }>;
  /** What a PMO lead may start an ungoverned project on; empty once governed or for anyone else. */
  readonly templates: readonly TemplateOptionView[];
  readonly health: HealthView;
  readonly viewer: ViewerAbilitiesView;
  /** Whether the PMO's registry JQL selects this issue; Tollgate governs (and changes) registry projects only. */
  readonly inRegistry: boolean;
}

/**
 * `project/apply` and `project/restore`: the revision written and the panel as it now is. `view` is null when the
 * change landed but the fresh view could not be read; the UI then calls `project/load` instead of repeating the op.
 */
export interface ProjectChangeResult {
  readonly rev: number;
  readonly view: ProjectPanelView | null;
  /**
   * The change is recorded (it counts; never send it again) but Jira was slow to store it: the view already shows
   * it, replayed from Tollgate's ledger, and the issue's stored documents catch up with the next change.
   */
  readonly pending: boolean;
}

/**
 * Each key the panel's resolver defines (route-like, docs/conventions.md rule 2) with its payload and the envelope's
 * `data`. Callers still write the key as a literal (`invoke('project/load')`): the manifest contract test reads
 * literals.
 */
export interface IssuePanelCalls {
  readonly 'project/load': { readonly payload: ProjectLoadPayload; readonly data: ProjectPanelView };
  readonly 'project/apply': { readonly payload: ProjectApplyPayload; readonly data: ProjectChangeResult };
  readonly 'project/restore': { readonly payload: ProjectRestorePayload; readonly data: ProjectChangeResult };
}
