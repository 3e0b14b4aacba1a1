/**
 * The portfolio page's only way to the backend: `invoke` with the keys of src/contract/portfolio.ts, unwrapped from
 * the envelope. Keys stay literals at each call so the manifest contract test can read them (STYLE.md rule 1).
 */
import { invoke } from '@forge/bridge';
import { type ResolverError, type ResolverResponse } from '../../../src/contract/envelope';
import {
  type PortfolioCsv,
  type PortfolioCsvPayload,
  type PortfolioData,
  type PortfolioLoadPayload,
} from '../../../src/contract/portfolio';

/** A refusal or failure the server answered with; `errors[0]` says what to tell the reader. */
export class PortfolioCallError extends Error {
  constructor(readonly errors: readonly ResolverError[]) {
    super(errors[0]?.message ?? 'Tollgate did not answer.');
  }
}

// invoke is typed to allow a metadata wrapper, which only calls that pass metadata get; these never do.
function unwrap<T>(response: unknown): T {
  const envelope = response as ResolverResponse<T>;
  if (envelope.success) return envelope.data;
  throw new PortfolioCallError(envelope.errors);
}

/** Turns a bridge failure (network, host) into the same shape as a server answer. */
export function asCallError(error: unknown): PortfolioCallError {
  if (error instanceof PortfolioCallError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new PortfolioCallError([{ errorType: 'UNAVAILABLE', message }]);
}

/** What the page sends: the contract's payload before the server fills its defaults. */
export type LoadRequest = Pick<PortfolioLoadPayload, 'filter' | 'sort' | 'page'>;

/** `portfolio/load`: one page of rows with the aggregates of the whole scope. */
export async function loadPortfolio(request: LoadRequest): Promise<PortfolioData> {
  try {
    return unwrap<PortfolioData>(await invoke('portfolio/load', { ...request, includeCsv: false }));
  } catch (error) {
    throw asCallError(error);
  }
}

/** `portfolio/csv`: every filtered row, in the table's order. */
export async function exportCsv(request: Pick<PortfolioCsvPayload, 'filter' | 'sort'>): Promise<PortfolioCsv> {
  try {
    return unwrap<PortfolioCsv>(await invoke('portfolio/csv', request));
  } catch (error) {
    throw asCallError(error);
  }
}
