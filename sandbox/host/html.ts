/**
 * Server-rendered HTML for the sandbox's host pages, escaped by construction: interpolations are text unless they
 * are themselves `html` fragments, so seeded or user-entered Jira data can never inject markup into the shell.
 */

const RAW = Symbol('html');

/** A fragment of trusted markup. */
export interface Html {
  readonly [RAW]: string;
}

type Interpolation = Html | string | number | boolean | null | undefined | readonly Interpolation[];

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for use in element content and quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

function render(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return (value as readonly Interpolation[]).map(render).join('');
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return escapeHtml(String(value));
  return (value as Html)[RAW];
}

/** Tagged template for markup: `html\`<p>${text}</p>\``. */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): Html {
  return { [RAW]: strings.reduce((out, s, i) => out + s + (i < values.length ? render(values[i]) : ''), '') };
}

/** Marks a string as trusted markup; only for text the sandbox itself produced. */
export function trusted(markup: string): Html {
  return { [RAW]: markup };
}

/** The markup as a string. */
export function toString(fragment: Html): string {
  return fragment[RAW];
}
