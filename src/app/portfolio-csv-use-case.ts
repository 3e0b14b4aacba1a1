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
import { filteredRows, type PortfolioScope, readPortfolio } from './portfolio-use-case';
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
 * `offset`, in the sort order, with the byte order mark and header line in the first part. Each part reads the
 * portfolio again, so a project changed between two parts may move; the sort is total (ties by key), so an unchanged
 * portfolio parts exactly.
 * @throws what readPortfolio throws.
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
  const read = await readPortfolio(deps, request);
  const words = readerTemplateWords(request.words, read.settings);
  const rows = filteredRows(read, request.filter, request.sort);
  const offset = Math.min(request.offset ?? 0, rows.length);
  let csv = offset === 0 ? portfolioCsvText(words, [], { header: true }) : '';
  let bytes = Buffer.byteLength(csv);
  let end = offset;
  const limit = Math.min(request.limit ?? CSV_PART_ROWS, CSV_PART_ROWS);
  while (end < rows.length && end - offset < limit) {
    const line = portfolioCsvText(words, [rows[end] as PortfolioRow], { header: false });
    const size = Buffer.byteLength(line);
    if (end > offset && bytes + size > CSV_PART_BYTES) break;
    csv += line;
    bytes += size;
    end += 1;
  }
  return {
    filename: `tollgate-portfolio-${read.today}.csv`,
    csv,
    rows: end - offset,
    total: rows.length,
    nextOffset: end < rows.length ? end : null,
  };
}
