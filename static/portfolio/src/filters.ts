/**
 * The portfolio table's filters as the page holds them, and the one place they become the contract's payload — so
 * the table and the CSV download always ask for the same rows ("what is filtered is what is exported").
 */
import { type RowFilterPayload } from '../../../src/contract/portfolio';
import { type GateOutcome } from '../../../src/domain/gates';
import { type KpiId } from '../../../src/domain/portfolio';
import { type RagOrNone } from '../../../src/domain/rag';
import { type RiskLevel } from '../../../src/domain/risk';

/** A heat-map square as the filter names it. */
export interface Cell {
  readonly likelihood: RiskLevel;
  readonly impact: RiskLevel;
}

/** A project's last gate decision, or `none` before its first. */
export type Decision = GateOutcome | 'none';

// The domain's KPI_IDS, repeated so the bundle does not take the domain's schemas with it (a test keeps them equal).
/** The KPI tiles, in the page's order. */
export const TILE_KPIS: readonly KpiId[] = ['gateCompliance', 'onTime', 'budgetAdherence', 'raidHygiene'];

/** Everything the table is narrowed by; every list is "any of", and an empty list matches all. */
export interface Filters {
  readonly rag: readonly RagOrNone[];
  readonly stage: readonly string[];
  /** Owner account ids. */
  readonly owner: readonly string[];
  readonly department: readonly string[];
  readonly decision: readonly Decision[];
  readonly text: string;
  readonly cell: Cell | undefined;
  /** The projects a KPI counts (a clicked KPI tile). */
  readonly kpi: KpiId | undefined;
}

/** The unfiltered table. */
export const NO_FILTERS: Filters = {
  rag: [],
  stage: [],
  owner: [],
  department: [],
  decision: [],
  text: '',
  cell: undefined,
  kpi: undefined,
};

/** The filter as `portfolio/load` and `portfolio/csv` take it: only the parts that narrow anything. */
export function toPayload(filters: Filters): RowFilterPayload {
  const text = filters.text.trim();
  return {
    ...(filters.rag.length ? { rag: [...filters.rag] } : {}),
    ...(filters.stage.length ? { stage: [...filters.stage] } : {}),
    ...(filters.owner.length ? { owner: [...filters.owner] } : {}),
    ...(filters.department.length ? { department: [...filters.department] } : {}),
    ...(filters.decision.length ? { decision: [...filters.decision] } : {}),
    ...(text ? { text } : {}),
    ...(filters.cell ? { cell: filters.cell } : {}),
    ...(filters.kpi ? { kpi: filters.kpi } : {}),
  };
}

/** True when anything narrows the table (so "Clear filters" has something to clear). */
export function isFiltered(filters: Filters): boolean {
  return Object.keys(toPayload(filters)).length > 0;
}

/**
 * The stage filter after a click on a funnel stage: a stage that is the only one chosen is un-chosen (a second
 * click goes back), any other click shows just that stage — what a person clicking one bar of a funnel means.
 */
export function toggleStage(current: readonly string[], stage: string): readonly string[] {
  return current.length === 1 && current[0] === stage ? [] : [stage];
}
