/**
 * Turning reason and refusal codes into sentences in the reader's language. Catalogs live in `locales/*.json` as
 * flat keys; `{name}` placeholders are filled from params. A param value that is itself a code (an aspect, a role,
 * a status) is translated through `param.<name>.<value>` when the catalog has it, so "cost" reads "kostnad" in nb.
 */

export type Catalog = Readonly<Record<string, string>>;
export type MessageParams = Readonly<Record<string, string | number>>;

const PLACEHOLDER = /\{([a-zA-Z][a-zA-Z0-9]*)\}/g;

/** Names of the placeholders a message uses, for catalog consistency checks. */
export function placeholdersOf(message: string): string[] {
  return [...message.matchAll(PLACEHOLDER)].map((match) => match[1] as string).sort();
}

/**
 * The message for `key` with its placeholders filled. Falls back to the fallback catalog, then to the key itself,
 * so a missing translation shows something a developer can find rather than nothing.
 */
export function formatMessage(
  catalog: Catalog,
  key: string,
  params: MessageParams = {},
  fallback: Catalog = {},
): string {
  const lookup = (k: string): string | undefined => catalog[k] ?? fallback[k];
  const translate = (name: string, value: string | number): string => {
    if (typeof value === 'number') return String(value);
    const whole = lookup(`param.${name}.${value}`);
    if (whole !== undefined) return whole;
    // Lists of codes ("pmo, sponsor") are translated item by item.
    const parts = value.split(', ').map((part) => lookup(`param.${name}.${part}`));
    return parts.length > 1 && parts.every((part) => part !== undefined) ? parts.join(', ') : value;
  };
  const template = lookup(key);
  if (template === undefined) return key;
  return template.replace(PLACEHOLDER, (placeholder, name: string) => {
    const value = params[name];
    return value === undefined ? placeholder : translate(name, value);
  });
}
