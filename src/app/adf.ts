/**
 * Atlassian Document Format, the little of it a steering-committee export needs: headings, paragraphs, tables with
 * header cells, status lozenges and user mentions. A macro's `adfExport` returns a document built from these, so
 * Confluence's Word and PDF export print a real table instead of "We don't have a way to export this macro"
 * (docs/pmo-rules.md, complaint 10). Pure; the shapes follow @atlaskit/adf-schema's JSON schema, which the tests check
 * every document against.
 * @see https://developer.atlassian.com/cloud/jira/platform/apis/document/structure/
 */
import { type RagOrNone } from '../domain/rag';

/** Text formatting. */
export type AdfMark = { readonly type: 'strong' } | { readonly type: 'em' };

/** A run of text. */
export interface AdfText {
  readonly type: 'text';
  /** Never empty: ADF has no empty text node. */
  readonly text: string;
  readonly marks?: readonly AdfMark[];
}

/** The colours a status lozenge may have. ADF has no amber: yellow is Atlassian's "needs attention". */
export type StatusColour = 'neutral' | 'purple' | 'blue' | 'red' | 'yellow' | 'green';

/** A status lozenge. */
export interface AdfStatus {
  readonly type: 'status';
  readonly attrs: { readonly text: string; readonly color: StatusColour };
}

/** A mention of a user by account id. */
export interface AdfMention {
  readonly type: 'mention';
  readonly attrs: { readonly id: string; readonly text?: string };
}

/** What paragraphs and headings hold. */
export type AdfInline = AdfText | AdfStatus | AdfMention;

/** A paragraph. */
export interface AdfParagraph {
  readonly type: 'paragraph';
  readonly content: readonly AdfInline[];
}

/** A heading. */
export interface AdfHeading {
  readonly type: 'heading';
  readonly attrs: { readonly level: 1 | 2 | 3 | 4 | 5 | 6 };
  readonly content: readonly AdfInline[];
}

/** A table cell (`tableHeader` in the header row). */
export interface AdfTableCell {
  readonly type: 'tableCell' | 'tableHeader';
  readonly attrs: Readonly<Record<string, never>>;
  readonly content: readonly AdfParagraph[];
}

/** A table row. */
export interface AdfTableRow {
  readonly type: 'tableRow';
  readonly content: readonly AdfTableCell[];
}

/** A table; its first row is the header row. */
export interface AdfTable {
  readonly type: 'table';
  readonly attrs: { readonly isNumberColumnEnabled: false; readonly layout: 'default' };
  readonly content: readonly AdfTableRow[];
}

/** What a document holds. */
export type AdfBlock = AdfParagraph | AdfHeading | AdfTable;

/** A whole document, what an `adfExport` function returns. */
export interface AdfDoc {
  readonly type: 'doc';
  readonly version: 1;
  readonly content: readonly AdfBlock[];
}

/** What a paragraph or heading is made of; strings become text nodes, empty strings nothing. */
export type InlinePart = AdfInline | string;

function inline(parts: readonly InlinePart[]): AdfInline[] {
  return parts.flatMap((part) => {
    if (typeof part !== 'string') return [part];
    return part === '' ? [] : [{ type: 'text' as const, text: part }];
  });
}

/** Text with formatting; an empty string yields nothing rather than an invalid empty node. */
export function text(value: string, ...marks: AdfMark['type'][]): AdfText[] {
  if (value === '') return [];
  return [
    marks.length === 0
      ? { type: 'text', text: value }
      : { type: 'text', text: value, marks: marks.map((type) => ({ type })) },
  ];
}

/** A paragraph; it may be empty (an empty table cell is an empty paragraph). */
export function paragraph(...parts: ReadonlyArray<InlinePart | readonly AdfInline[]>): AdfParagraph {
  return { type: 'paragraph', content: inline(parts.flat()) };
}

/** A heading of `level` (1–6). */
export function heading(level: AdfHeading['attrs']['level'], ...parts: InlinePart[]): AdfHeading {
  return { type: 'heading', attrs: { level }, content: inline(parts) };
}

/** A status lozenge; blank labels become "—" because a lozenge needs text. */
export function status(label: string, color: StatusColour): AdfStatus {
  return { type: 'status', attrs: { text: label.trim() === '' ? '—' : label, color } };
}

const RAG_STATUS: Readonly<Record<RagOrNone, { readonly label: string; readonly color: StatusColour }>> = {
  green: { label: 'GREEN', color: 'green' },
  amber: { label: 'AMBER', color: 'yellow' },
  red: { label: 'RED', color: 'red' },
  none: { label: 'N/A', color: 'neutral' },
};

/**
 * A RAG as the lozenge Confluence shows: green, amber (yellow) or red; `none` is neutral. `label` is the reader's word
 * for it; English capitals when none is given.
 */
export function ragStatus(rag: RagOrNone, label: string = RAG_STATUS[rag].label): AdfStatus {
  return status(label, RAG_STATUS[rag].color);
}

/** A mention of a Jira user; Confluence renders it with their current name. */
export function mention(accountId: string, name?: string | null): AdfMention {
  return { type: 'mention', attrs: name ? { id: accountId, text: `@${name}` } : { id: accountId } };
}

/** A body cell holding one paragraph. */
export function tableCell(...parts: ReadonlyArray<InlinePart | readonly AdfInline[]>): AdfTableCell {
  return { type: 'tableCell', attrs: {}, content: [paragraph(...parts)] };
}

/** A header cell; Confluence styles header cells itself, so the label carries no marks. */
export function tableHeader(label: string): AdfTableCell {
  return { type: 'tableHeader', attrs: {}, content: [paragraph(label)] };
}

/** A table: one header row, then the body rows (each as many cells as there are headers). */
export function table(headers: readonly string[], rows: readonly (readonly AdfTableCell[])[]): AdfTable {
  return {
    type: 'table',
    attrs: { isNumberColumnEnabled: false, layout: 'default' },
    content: [
      { type: 'tableRow', content: headers.map(tableHeader) },
      ...rows.map((cells) => ({ type: 'tableRow' as const, content: cells })),
    ],
  };
}

/** The document. */
export function doc(...content: AdfBlock[]): AdfDoc {
  return { type: 'doc', version: 1, content };
}
