/**
 * The portfolio page's only way to the backend: `invoke` with the keys of src/contract/portfolio.ts, unwrapped from
 * the envelope. Keys stay literals at each call so the manifest contract test can read them (docs/conventions.md rule
 * 1).
 */
import { invoke } from '@forge/bridge';
import {
  type PortfolioCsv,
  type PortfolioCsvPayload,
  type PortfolioData,
  type PortfolioFirstRows,
  type PortfolioFirstRowsPayload,
  type PortfolioLoadPayload,
} from '../../../src/contract/portfolio';
import { settle } from '../../common/src/call';

/** What the page sends: the contract's payload before the server fills its defaults. */
export type LoadRequest = Pick<PortfolioLoadPayload, 'filter' | 'sort' | 'page'> &
  Partial<Pick<PortfolioLoadPayload, 'asOf'>>;

/** `portfolio/load`: one page of rows with the aggregates of the whole scope. */
export function loadPortfolio(request: LoadRequest): Promise<PortfolioData> {
  return settle(invoke('portfolio/load', { ...request, includeCsv: false }));
}

/**
 * `portfolio/firstRows`: the first rows of the unfiltered table from the read model, provisional, to paint while
 * `portfolio/load` counts the whole portfolio.
 */
export function loadFirstRows(request: PortfolioFirstRowsPayload): Promise<PortfolioFirstRows> {
  return settle(invoke('portfolio/firstRows', request));
}

/** `portfolio/csv`: every filtered row, in the table's order. */
export function exportCsv(request: Pick<PortfolioCsvPayload, 'filter' | 'sort'>): Promise<PortfolioCsv> {
  return settle(invoke('portfolio/csv', request));
}
