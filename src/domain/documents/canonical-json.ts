/**
 * Canonical JSON: one byte sequence per value, whatever order its keys were written in, so a signature computed
 * when the app wrote a document can be checked after Jira has stored and returned it (Jira does not promise to keep
 * key order or whitespace).
 *
 * The portfolio read checks a signature on every document of every project, so the text is written in one pass
 * (no sorted copy of the value, no path strings) — and exactly as `JSON.stringify` of the key-sorted copy would
 * write it, which is how signatures have always been made. Only when a value cannot be written is the copy built,
 * so the error names the same path it always named. Documents of one kind share a few key sets (a RAID risk, a
 * checklist answer), so each key set's member order is worked out once and remembered.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Thrown inside the one-pass writer; `canonicalJson` turns it into the path-naming TypeError. */
class NotJson extends Error {}

/** Serialises with keys sorted at every depth and `undefined` members dropped, as JSON.stringify drops them. */
export function canonicalJson(value: unknown): string {
  try {
    return write(value);
  } catch (error) {
    if (!(error instanceof NotJson)) throw error;
    return JSON.stringify(normalise(value, '$'));
  }
}

/** The text a document's `sig` covers: the canonical form of everything but `sig` itself. */
export function signingPayload(document: Readonly<Record<string, unknown>>): string {
  try {
    return writeObject(document, 'sig');
  } catch (error) {
    if (!(error instanceof NotJson)) throw error;
    const { sig: _, ...rest } = document;
    return JSON.stringify(normalise(rest, '$'));
  }
}

/**
 * Whether two JSON values have the same canonical JSON, without writing either: the same members (an `undefined`
 * member is no member, an `undefined` array item is null, as both writers treat them) with the same values at every
 * depth. `ignore` names a top-level member left out of the comparison. For values JSON can carry (NaN, functions and
 * the like are compared by identity).
 */
export function sameJson(a: unknown, b: unknown, ignore?: string): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i += 1) if (!sameJson(a[i] ?? null, b[i] ?? null)) return false;
    return true;
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  let members = 0;
  for (const key of Object.keys(left)) {
    if (key === ignore || left[key] === undefined) continue;
    members += 1;
    if (!Object.prototype.hasOwnProperty.call(right, key) || !sameJson(left[key], right[key])) return false;
  }
  for (const key of Object.keys(right)) if (key !== ignore && right[key] !== undefined) members -= 1;
  return members === 0;
}

function write(value: unknown): string {
  switch (typeof value) {
    case 'string':
      // Most strings need no escaping; JSON.stringify writes those that do (and lone surrogates) as it always has.
      return NEEDS_ESCAPING.test(value) ? JSON.stringify(value) : `"${value}"`;
    case 'number':
      // NaN and Infinity would silently become null and sign something other than what was meant.
      if (!Number.isFinite(value)) throw new NotJson();
      // For a finite number this is JSON.stringify's text (-0 is "0", 1e21 is "1e+21").
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      return Array.isArray(value) ? writeArray(value) : writeObject(value as Record<string, unknown>, undefined);
    default:
      throw new NotJson();
  }
}

function writeArray(items: readonly unknown[]): string {
  let out = '[';
  for (let i = 0; i < items.length; i += 1) {
    if (i > 0) out += ',';
    // A hole or an undefined item is null, as JSON.stringify writes both.
    const item = items[i];
    out += item === undefined ? 'null' : write(item);
  }
  return `${out}]`;
}

function writeObject(object: Readonly<Record<string, unknown>>, skip: string | undefined): string {
  let out = '{';
  let first = true;
  for (const { key, quoted } of membersOf(object)) {
    if (key === skip) continue;
    const member = object[key];
    if (member === undefined) continue;
    const text = write(member);
    // The sorted copy assigns `__proto__`, which sets the copy's prototype instead of adding a member: the member is
    // checked (and can fail) but never written.
    if (key === '__proto__') continue;
    out += first ? quoted : `,${quoted}`;
    out += text;
    first = false;
  }
  return `${out}}`;
}

// Control characters, quote, backslash and any surrogate half: the strings JSON.stringify must look at.
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPING = /["\\\u0000-\u001f\ud800-\udfff]/;
const DIGIT = /^[0-9]/;

/** A member in writing order, with its key already written as JSON (`"key":`). */
interface Member {
  readonly key: string;
  readonly quoted: string;
}

/** The member orders met so far, as a trie over the keys in the order Object.keys lists them. */
interface KeySetNode {
  next: Map<string, KeySetNode> | undefined;
  members: readonly Member[] | undefined;
}
const keySets: KeySetNode = { next: undefined, members: undefined };
/** Bounds what the trie holds: anyone who can edit an issue can store objects with arbitrary keys. */
const MAX_KEY_SET_NODES = 4096;
let keySetNodes = 0;

function membersOf(object: object): readonly Member[] {
  const keys = Object.keys(object);
  let node = keySets;
  for (const key of keys) {
    let child = node.next?.get(key);
    if (child === undefined) {
      if (keySetNodes >= MAX_KEY_SET_NODES) return memberOrder(keys);
      child = { next: undefined, members: undefined };
      (node.next ??= new Map()).set(key, child);
      keySetNodes += 1;
    }
    node = child;
  }
  return (node.members ??= memberOrder(keys));
}

/**
 * The order in which JSON.stringify writes the members of an object built with the keys in sorted order: sorted,
 * except that the engine lists array-index keys ("0", "10") first, in numeric order. When there are such keys
 * the engine itself is asked, so its rule is not re-implemented here.
 */
function memberOrder(keys: readonly string[]): Member[] {
  let order = [...keys].sort();
  if (order.some((key) => DIGIT.test(key))) {
    const probe: Record<string, null> = Object.create(null) as Record<string, null>;
    for (const key of order) probe[key] = null;
    order = Object.keys(probe);
  }
  return order.map((key) => ({ key, quoted: `${JSON.stringify(key)}:` }));
}

/** The key-sorted copy (the original definition), used to report a value that cannot be written. */
function normalise(value: unknown, path: string): Json {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`${path} is not a finite number`);
    return value;
  }
  if (Array.isArray(value))
    return value.map((item, i) => (item === undefined ? null : normalise(item, `${path}[${i}]`)));
  if (typeof value === 'object') {
    const out: { [key: string]: Json } = {};
    for (const key of Object.keys(value).sort()) {
      const member = (value as Record<string, unknown>)[key];
      if (member !== undefined) out[key] = normalise(member, `${path}.${key}`);
    }
    return out;
  }
  throw new TypeError(`${path} cannot be represented in JSON (${typeof value})`);
}
