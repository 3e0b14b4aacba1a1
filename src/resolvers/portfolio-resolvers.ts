/**
 * The portfolio page's resolver: one page of the table with the portfolio's aggregates, and the CSV export. Each
 * key validates its payload, calls the use case as the caller (reads run as the user, so Jira decides which
 * projects they see) and answers with the envelope; the bodies are exported so tests can call them with the sandbox.
 */
import Resolver from '@forge/resolver';
import { forgeDeps } from '../adapters/forge-deps';
import { type AppDeps } from '../app/deps';
import { loadFirstRows } from '../app/first-rows-use-case';
import { exportPortfolioCsv } from '../app/portfolio-csv-use-case';
import { loadPortfolio } from '../app/portfolio-use-case';
import { type ResolverResponse } from '../contract/envelope';
import {
  type PortfolioCsv,
  portfolioCsvPayloadSchema,
  type PortfolioData,
  type PortfolioFirstRows,
  portfolioFirstRowsPayloadSchema,
  portfolioLoadPayloadSchema,
} from '../contract/portfolio';
import { readerWords } from './reader-words';
import { respond, type ResolverRequest } from './respond';

/**
 * `portfolio/load`: the filtered, sorted page of projects with counts, KPIs, exceptions, heat map, funnel, trend and
 * facets; JIRA_REJECTED with Jira's words when a narrowing JQL is not valid.
 * @throws never (errors are answered in the envelope).
 */
export function loadPortfolioPage(request: ResolverRequest, deps: AppDeps): Promise<ResolverResponse<PortfolioData>> {
  return respond(request, portfolioLoadPayloadSchema, (payload, accountId) =>
    loadPortfolio(deps, { ...payload, accountId, locale: readerWords(request.context).locale }),
  );
}

/**
 * `portfolio/csv`: one part of the CSV of every project the filter keeps, in the table's sort order (contract
 * PortfolioCsv says how the parts join).
 * @throws never (errors are answered in the envelope).
 */
export function exportPortfolio(request: ResolverRequest, deps: AppDeps): Promise<ResolverResponse<PortfolioCsv>> {
  return respond(request, portfolioCsvPayloadSchema, (payload, accountId) =>
    exportPortfolioCsv(deps, { ...payload, accountId, words: readerWords(request.context) }),
  );
}

/**
 * `portfolio/firstRows`: the first page of the unfiltered table from the read model (two Jira permission checks, no
 * search), marked provisional, for the page to paint while `portfolio/load` judges the whole portfolio.
 * @throws never (errors are answered in the envelope).
 */
export function loadPortfolioFirstRows(
  request: ResolverRequest,
  deps: AppDeps,
): Promise<ResolverResponse<PortfolioFirstRows>> {
  return respond(request, portfolioFirstRowsPayloadSchema, (payload, accountId) =>
    loadFirstRows(deps, { ...payload, accountId, locale: readerWords(request.context).locale }),
  );
}

const resolver = new Resolver();
resolver.define('portfolio/load', (request: ResolverRequest) => loadPortfolioPage(request, forgeDeps()));
resolver.define('portfolio/firstRows', (request: ResolverRequest) => loadPortfolioFirstRows(request, forgeDeps()));
resolver.define('portfolio/csv', (request: ResolverRequest) => exportPortfolio(request, forgeDeps()));

/** The portfolio page's resolver, for the `function` a `jira:globalPage` module names. */
export default resolver.getDefinitions();
