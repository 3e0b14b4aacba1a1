/**
 * The portfolio's CSV export (`portfolio/csv`), written for the person downloading it: headers, RAGs, statuses,
 * decisions and reasons in their language; the field separator and decimal sign their spreadsheet expects (a comma
 * and a point in English; a semicolon and a comma in Norwegian and Swedish, whose spreadsheets read a comma as the
 * decimal sign); dates as ISO days, which every spreadsheet reads as dates; and a UTF-8 byte order mark first, without
 * which Excel reads UTF-8 as the local code page and mangles æ, ø, å, ä and ö. RFC 4180 otherwise (domain csvLines),
 * with formula-looking text neutralised.
 */
import { CSV_PART_BYTES, CSV_PART_ROWS, type PortfolioCsv, type PortfolioRow } from '../contract/portfolio';
import { type Translator } from '../domain/messages';
import {
  type CsvFormat,
  csvLines,
  type CsvValue,
  DEFAULT_CSV_COLUMNS,
  PLAIN_CSV,
  type RowFilter,
  type RowSort,
} from '../domain/portfolio';
import { type AppDeps } from './deps';
import { openReaderView, type PortfolioScope, viewPage } from './portfolio-reader';
import { DEFAULT_SORT } from './portfolio-use-case';
import { codeLabel, reasonText } from './wording';
import { readerTemplateWords } from './words';

/** The byte order mark that tells Excel the file is UTF-8. */
export const UTF8_BOM = '\uFEFF';

/** The separator and decimal sign of the reader's spreadsheet. */
export function csvFormatFor(words: Translator): CsvFormat {
  return words.locale === 'en-US' ? PLAIN_CSV : { delimiter: ';', decimal: ',' };
}

const RAG_COLUMN = /^rag/;

/** One row's cells for a reader, in DEFAULT_CSV_COLUMNS' order. */
function csvCells(words: Translator, row: PortfolioRow): CsvValue[] {
  return DEFAULT_CSV_COLUMNS.map(({ key }): CsvValue => {
    if (RAG_COLUMN.test(key)) return words.t(`rag.${row[key as 'rag']}`);
    switch (key) {
      // People read the export: the owner's name as Jira showed it, rather than an account id.
      case 'owner':
        return row.ownerName ?? row.owner;
      case 'stageName':
        return row.stageName === null ? '' : words.term('stage', row.stageName);
      case 'status':
        return codeLabel(words, 'status', row.status);
      case 'lastDecision':
        return row.lastDecision === 'none' ? '' : codeLabel(words, 'outcome', row.lastDecision);
      case 'riskMax':
        return row.riskMax === 0 ? null : row.riskMax;
      case 'reasons':
        // The reasons as sentences, each once.
        return [...new Set(row.why.map((reason) => reasonText(words, reason)))].join(' ');
      default:
        return row[key];
    }
  });
}

/** The CSV text of rows for a reader, with the header line (and the byte order mark before it) when asked. */
export function portfolioCsvText(
  words: Translator,
  rows: readonly PortfolioRow[],
  { header }: { readonly header: boolean },
): string {
  const format = csvFormatFor(words);
  const lines = csvLines(
    rows.map((row) => csvCells(words, row)),
    format,
  );
  if (!header) return lines;
  return `${UTF8_BOM}${csvLines([DEFAULT_CSV_COLUMNS.map(({ key }) => words.t(`csv.col.${key}`))], format)}${lines}`;
}

/**
 * One part of the CSV export (contract CSV_PART_ROWS and CSV_PART_BYTES): up to `limit` rows the filter keeps from
 * `offset`, in the sort order, with the byte order mark and header line in the first part. Each part is one page of
 * the read model's rows (portfolio-reader.ts), so a project changed between two parts may move; the sort is total
 * (ties by key), so an unchanged portfolio parts exactly. Rows are exported as stored (judged today or by the last
 * daily run), as the table's figures count them.
 * @throws what openReaderView throws.
 */
export async function exportPortfolioCsv(
  deps: AppDeps,
  request: PortfolioScope & {
    readonly words: Translator;
    readonly filter?: RowFilter;
    readonly sort?: RowSort;
    readonly offset?: number;
    readonly limit?: number;
  },
): Promise<PortfolioCsv> {
  const view = await openReaderView(deps, request);
  const words = readerTemplateWords(request.words, view.settings);
  const offset = Math.max(0, Math.floor(request.offset ?? 0));
  const limit = Math.min(request.limit ?? CSV_PART_ROWS, CSV_PART_ROWS);
  const page = await viewPage(
    deps,
    view,
    { filter: request.filter ?? {}, sort: request.sort ?? DEFAULT_SORT, page: { offset, limit } },
    { today: false },
  );
  const { rows, total } = page.rows;
  let csv = offset === 0 ? portfolioCsvText(words, [], { header: true }) : '';
  let bytes = Buffer.byteLength(csv);
  let taken = 0;
  for (const row of rows) {
    const line = portfolioCsvText(words, [row], { header: false });
    const size = Buffer.byteLength(line);
    if (taken > 0 && bytes + size > CSV_PART_BYTES) break;
    csv += line;
    bytes += size;
    taken += 1;
  }
  const end = Math.min(offset, total) + taken;
  return {
    filename: `tollgate-portfolio-${view.today}.csv`,
    csv,
    rows: taken,
    total,
    nextOffset: end < total ? end : null,
  };
}
