/**
 * Problems with the settings form, in the reader's language, keyed by the path of the field they belong to. The form
 * is checked with the contract's own save schema (src/contract/admin.ts), so what the admin sees while typing is what
 * the server would answer; the server's INVALID_PAYLOAD problems (`path: message`) land on the same fields.
 */
import { type z } from 'zod';
import { settingsSavePayloadSchema, type SettingsSavePayload, type SettingsValues } from '../../../src/contract/admin';
import { type Translator } from '../../common/src/i18n';

/** Messages by field path (`health.staleness.redAfterDays`); `''` holds problems of the form as a whole. */
export type Problems = ReadonlyMap<string, readonly string[]>;

export const NO_PROBLEMS: Problems = new Map();

/**
 * zod's generic messages (too small, not a number, …) in the reader's language. Installed once with `z.config`, so
 * it also reaches the settings schema that the contract's save schema runs inside its transform; messages a schema
 * writes itself take precedence and are translated by `translateProblem`.
 */
export function problemMessages(t: Translator['t']): z.core.$ZodErrorMap {
  return (issue) => {
    const limit = (value: number | bigint) => ({ limit: Number(value) });
    switch (issue.code) {
      case 'too_small':
        if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? t('admin.problem.required') : undefined;
        if (issue.origin === 'array') return t('admin.problem.minItems', limit(issue.minimum));
        return t(issue.inclusive === false ? 'admin.problem.above' : 'admin.problem.min', limit(issue.minimum));
      case 'too_big':
        if (issue.origin === 'string') return t('admin.problem.maxLength', limit(issue.maximum));
        if (issue.origin === 'array') return t('admin.problem.maxItems', limit(issue.maximum));
        return t('admin.problem.max', limit(issue.maximum));
      case 'invalid_type':
        return issue.expected === 'number' || issue.expected === 'int' ? t('admin.problem.number') : undefined;
      case 'not_multiple_of':
        return t('admin.problem.whole');
      case 'invalid_value':
        return t('admin.problem.option');
      default:
        return undefined;
    }
  };
}

/** Messages the domain schemas write themselves (English), with the catalog key that says the same. */
const DOMAIN_MESSAGES: ReadonlyArray<readonly [RegExp, string, readonly string[]]> = [
  [/^the red staleness limit must be more days than the amber one$/, 'admin.problem.stalenessOrder', []],
  [/^a Jira field id such as duedate or customfield_10042$/, 'admin.problem.fieldId', []],
  [/^use lower-case letters, digits and dashes \(at most 40\)$/, 'admin.problem.templateId', []],
  [/^the amber threshold must not be above the green one/, 'admin.problem.indexOrder', []],
  [/^the amber limit must not be below the green one/, 'admin.problem.eacOrder', []],
  [/^the (green|amber) (threshold|limit) must be above 0$/, 'admin.problem.positive', []],
  [/^no template has the id "(.*)"$/, 'admin.problem.noTemplate', ['id']],
  [/^no Jira group is named "(.*)"$/, 'admin.problem.noGroup', ['group']],
  [/^the owner must be a user field/, 'admin.problem.ownerField', []],
  [/^(?:min|max) must be a whole number$/, 'admin.problem.whole', []],
  [/^(?:min|max) must be a number$/, 'admin.problem.number', []],
  [/^(?:min|max) must be at least (\d+)$/, 'admin.problem.min', ['limit']],
  [/^(?:min|max) must be at most (\d+)$/, 'admin.problem.max', ['limit']],
  [/^band "(\w+)" ends at \d+ before it starts at \d+/, 'admin.problem.bandOrder', ['band']],
  [/^bands "(\w+)" .* and "(\w+)" .* overlap/, 'admin.problem.bandOverlap', ['previous', 'band']],
  [/^band "(\w+)" .* contains no score/, 'admin.problem.bandEmpty', ['band']],
  [/^score (\d+) falls in no band/, 'admin.problem.bandGap', ['score']],
  [/^stage "(.*)" needs an exit gate/, 'admin.problem.exitGate', ['stage']],
  [/^template (\S+) exists twice$/, 'admin.problem.templateTwice', ['ref']],
  [/^enter at least one visible character/, 'problem.visibleText', []],
  [
    /^the settings would take (\d+) KiB in Forge storage, more than the (\d+) KiB/,
    'admin.problem.tooLarge',
    ['size', 'limit'],
  ],
];

/** A problem's message in the reader's language when the catalog knows it, otherwise as the schema wrote it. */
export function translateProblem(t: Translator['t'], message: string): string {
  for (const [pattern, key, names] of DOMAIN_MESSAGES) {
    const match = pattern.exec(message);
    if (!match) continue;
    const params: Record<string, string> = {};
    names.forEach((name, index) => {
      params[name] =
        name === 'band' || name === 'previous' ? t(`risk.band.${match[index + 1]}`) : String(match[index + 1]);
    });
    return t(key, params);
  }
  return message;
}

function add(problems: Map<string, string[]>, path: string, message: string): void {
  const list = problems.get(path) ?? [];
  if (!list.includes(message)) list.push(message);
  problems.set(path, list);
}

/** What the form would send: the settings as edited, on the version they were loaded at. */
export function payloadOf(values: SettingsValues, expectedVersion: number): SettingsSavePayload {
  return { ...values, expectedVersion };
}

/** Runs the contract's save schema on the form: every problem, by field, in the reader's language. */
export function checkForm(t: Translator['t'], payload: SettingsSavePayload): Problems {
  const parsed = settingsSavePayloadSchema.safeParse(payload);
  if (parsed.success) return NO_PROBLEMS;
  const problems = new Map<string, string[]>();
  for (const issue of parsed.error.issues) add(problems, issue.path.join('.'), translateProblem(t, issue.message));
  return problems;
}

/** The server's INVALID_PAYLOAD problems (`path: message`, `(payload): …` for the whole form), by field. */
export function serverProblems(t: Translator['t'], lines: readonly string[]): Problems {
  const problems = new Map<string, string[]>();
  for (const line of lines) {
    const split = line.indexOf(': ');
    const path = split < 0 ? '' : line.slice(0, split);
    const message = split < 0 ? line : line.slice(split + 2);
    add(problems, path === '(payload)' ? '' : path, translateProblem(t, message));
  }
  return problems;
}

/** Both sets of problems, field by field. */
export function mergeProblems(first: Problems, second: Problems): Problems {
  if (second.size === 0) return first;
  const merged = new Map<string, string[]>([...first].map(([path, list]) => [path, [...list]]));
  for (const [path, list] of second) for (const message of list) add(merged, path, message);
  return merged;
}

/** The DOM id of the input for a field path, so a problem can name and focus its field. */
export function fieldId(path: string): string {
  return `f-${path.replace(/\./g, '-')}`;
}

/** Which tab a field lives on. */
export type AdminTab = 'general' | 'health' | 'templates' | 'fields';

/** The tab of a field path; problems of the form as a whole are shown on the first. */
export function tabOf(path: string): AdminTab {
  const head = path.split('.')[0];
  if (head === 'health') return 'health';
  if (head === 'templates') return 'templates';
  if (head === 'fields') return 'fields';
  return 'general';
}
