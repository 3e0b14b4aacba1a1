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
  return settle(invoke('portfolio/load', request));
}

/**
 * `portfolio/firstRows`: the first rows of the unfiltered table from the read model, provisional, to paint while
 * `portfolio/load` counts the whole portfolio.
 */
export function loadFirstRows(request: PortfolioFirstRowsPayload): Promise<PortfolioFirstRows> {
  return settle(invoke('portfolio/firstRows', request));
}

/**
 * `portfolio/csv`, part after part (each answer stays under Forge's 5 MB response limit), joined: every filtered row,
 * in the table's order, as one file.
 */
export async function exportCsv(
  request: Pick<PortfolioCsvPayload, 'filter' | 'sort'>,
): Promise<{ readonly filename: string; readonly csv: string; readonly rows: number }> {
  const parts: string[] = [];
  let rows = 0;
  let offset: number | null = 0;
  let filename = '';
  while (offset !== null) {
    const part: PortfolioCsv = await settle(invoke('portfolio/csv', { ...request, offset }));
    parts.push(part.csv);
    rows += part.rows;
    filename = part.filename;
    // A part that moved nothing would ask for itself for ever.
    offset = part.nextOffset !== null && part.nextOffset > offset ? part.nextOffset : null;
  }
  return { filename, csv: parts.join(''), rows };
}
