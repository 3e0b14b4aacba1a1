/**
 * Renders Atlassian Document Format to HTML for the sandbox's export view: what a macro's `adfExport` returns is what
 * Word and PDF export put on paper, so the sandbox shows it the same way instead of "We don't have a way to export
 * this macro" (docs/pmo-rules.md, complaint 10). Covers the nodes a status report uses; others are shown, not dropped.
 */
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import { html, type Html } from './html';

export interface AdfNode {
  readonly type: string;
  readonly text?: string;
  readonly attrs?: Readonly<Record<string, unknown>>;
  readonly marks?: ReadonlyArray<{ readonly type: string; readonly attrs?: Readonly<Record<string, unknown>> }>;
  readonly content?: readonly AdfNode[];
}

const STATUS_COLOURS: Readonly<Record<string, string>> = {
  green: 'green',
  yellow: 'amber',
  red: 'red',
  blue: 'blue',
  neutral: '',
  purple: 'blue',
};

/** An attribute as text; objects and arrays (malformed ADF) read as nothing rather than "[object Object]". */
function attrText(value: unknown, fallback = ''): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : fallback;
}

function safeHref(value: unknown): string | undefined {
  return typeof value === 'string' && /^(https?:|\/)/.test(value) ? value : undefined;
}

function renderText(node: AdfNode): Html {
  let out = html`${node.text ?? ''}`;
  for (const mark of node.marks ?? []) {
    if (mark.type === 'strong') out = html`<strong>${out}</strong>`;
    else if (mark.type === 'em') out = html`<em>${out}</em>`;
    else if (mark.type === 'code') out = html`<code>${out}</code>`;
    else if (mark.type === 'strike') out = html`<s>${out}</s>`;
    else if (mark.type === 'underline') out = html`<u>${out}</u>`;
    else if (mark.type === 'link') {
      const href = safeHref(mark.attrs?.href);
      out = href ? html`<a href="${href}">${out}</a>` : out;
    }
  }
  return out;
}

/** What the renderer needs from the host beyond the document. */
export interface AdfRenderOptions {
  /** A person's display name, as Confluence prints a mention that carries only an account id. */
  readonly userName?: (accountId: string) => string | undefined;
}

function childrenOf(node: AdfNode, options: AdfRenderOptions): Html[] {
  return (node.content ?? []).map((child) => renderNode(child, options));
}

/** One node and its children as HTML. */
export function renderNode(node: AdfNode, options: AdfRenderOptions = {}): Html {
  const attrs = node.attrs ?? {};
  const children = (of: AdfNode) => childrenOf(of, options);
  switch (node.type) {
    case 'doc':
      return html`${children(node)}`;
    case 'paragraph':
      return html`<p>${children(node)}</p>`;
    case 'text':
      return renderText(node);
    case 'hardBreak':
      return html`<br />`;
    case 'rule':
      return html`<hr />`;
    case 'heading': {
      const level = Math.min(Math.max(Number(attrs.level) || 2, 1), 6);
      const inner = children(node);
      return [
        html`<h1>${inner}</h1>`,
        html`<h2>${inner}</h2>`,
        html`<h3>${inner}</h3>`,
        html`<h4>${inner}</h4>`,
        html`<h5>${inner}</h5>`,
        html`<h6>${inner}</h6>`,
      ][level - 1] as Html;
    }
    case 'bulletList':
      return html`<ul>
        ${children(node)}
      </ul>`;
    case 'orderedList':
      return html`<ol>
        ${children(node)}
      </ol>`;
    case 'listItem':
      return html`<li>${children(node)}</li>`;
    case 'table':
      return html`<table class="list">
        ${children(node)}
      </table>`;
    case 'tableRow':
      return html`<tr>
        ${children(node)}
      </tr>`;
    case 'tableHeader':
      return html`<th>${children(node)}</th>`;
    case 'tableCell':
      return html`<td>${children(node)}</td>`;
    case 'status':
      return html`<span class="lozenge ${STATUS_COLOURS[attrText(attrs.color)] ?? ''}">${attrText(attrs.text)}</span>`;
    case 'panel':
      return html`<div class="frame-box" style="padding:8px 12px" data-panel="${attrText(attrs.panelType, 'info')}">
        ${children(node)}
      </div>`;
    case 'inlineCard':
    case 'blockCard': {
      const href = safeHref(attrs.url);
      return href ? html`<a href="${href}">${href}</a>` : html``;
    }
    case 'mention': {
      const id = attrText(attrs.id);
      // Confluence prints the person's current name; the text in the node is only what the author last saw.
      const name = options.userName?.(id) ?? attrText(attrs.text).replace(/^@/, '');
      return html`<span class="mention" data-account-id="${id}">@${name || 'Unknown user'}</span>`;
    }
    case 'date': {
      const timestamp = Number(attrs.timestamp);
      return html`<time>${Number.isFinite(timestamp) ? new Date(timestamp).toISOString().slice(0, 10) : ''}</time>`;
    }
    default:
      return html`<div class="muted" data-adf-unsupported="${node.type}">[${node.type}] ${children(node)}</div>`;
  }
}

/** A whole ADF document; anything that is not a `doc` is refused visibly rather than rendered as nothing. */
export function adfToHtml(document: unknown, options: AdfRenderOptions = {}): Html {
  const doc = document as AdfNode | null;
  if (!doc || typeof doc !== 'object' || doc.type !== 'doc')
    return html`<p class="error">The macro's export is not an ADF document.</p>`;
  return renderNode(doc, options);
}

let validateAdf: ((value: unknown) => boolean) & { errors?: Array<{ instancePath: string; message?: string }> | null };

/**
 * What Atlassian's own ADF schema (@atlaskit/adf-schema `full.json`) finds wrong with a document an app returned,
 * as Confluence's export checks it before printing; empty when it is valid. Compiled on first use.
 */
export function adfProblems(document: unknown): string[] {
  if (!validateAdf) {
    const schema = JSON.parse(
      readFileSync(require.resolve('@atlaskit/adf-schema/dist/json-schema/v1/full.json'), 'utf8'),
    ) as Record<string, unknown>;
    // The schema is draft-04; Ajv 8 reads it once the draft marker is gone (it uses no draft-04-only keywords).
    delete schema.$schema;
    validateAdf = new Ajv({ strict: false, allErrors: false }).compile(schema);
  }
  if (validateAdf(document)) return [];
  return (validateAdf.errors ?? []).slice(0, 3).map((e) => `${e.instancePath || 'the document'} ${e.message ?? ''}`);
}
