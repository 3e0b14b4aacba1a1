/**
 * RAG (red/amber/green) and the reasons behind it. Every rule that colours something returns its reasons so a
 * person can always ask "why is it amber?" and get an answer in plain words (docs/pmo-rules.md, "Explainable RAG").
 */

export const RAGS = ['green', 'amber', 'red'] as const;
export type Rag = (typeof RAGS)[number];

/** A dimension that has nothing to judge (no budget data, a closed project) says so instead of guessing green. */
export type RagOrNone = Rag | 'none';

const SEVERITY: Record<RagOrNone, number> = { none: 0, green: 1, amber: 2, red: 3 };

/** Worst of several RAGs; `none` only when nothing was judged. */
export function worstRag(rags: readonly RagOrNone[]): RagOrNone {
  return rags.reduce<RagOrNone>((worst, rag) => (SEVERITY[rag] > SEVERITY[worst] ? rag : worst), 'none');
}

/** Orders RAGs for sorting: red first when descending. */
export function ragSeverity(rag: RagOrNone): number {
  return SEVERITY[rag];
}

/**
 * Why something has the colour it has. `code` names a message in `locales/*.json` under `reason.<code>`;
 * `params` fill its placeholders, so the same reason reads naturally in every locale.
 */
export interface Reason {
  readonly code: string;
  readonly rag: Rag;
  readonly params: Readonly<Record<string, string | number>>;
}

/** Builds a reason; params are optional because many reasons need none. */
export function reason(code: string, rag: Rag, params: Record<string, string | number> = {}): Reason {
  return { code, rag, params };
}

/** The RAG a list of reasons adds up to: the worst reason, green when there is none. */
export function ragOf(reasons: readonly Reason[]): Rag {
  return reasons.reduce<Rag>((worst, r) => (SEVERITY[r.rag] > SEVERITY[worst] ? r.rag : worst), 'green');
}
