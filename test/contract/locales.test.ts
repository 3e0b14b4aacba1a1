import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Catalog, formatMessage, isWellFormed, placeholdersOf } from '../../src/domain/messages';
import { REFUSAL_CODES } from '../../src/domain/ops';
import { sourceFiles, stringLiterals } from './source-scan';

const ROOT = resolve(__dirname, '../..');
const LOCALES = ['en-US', 'nb-NO', 'sv-SE'] as const;
const catalogs = Object.fromEntries(
  LOCALES.map((locale) => [
    locale,
    JSON.parse(readFileSync(join(ROOT, 'locales', `${locale}.json`), 'utf8')) as Catalog,
  ]),
) as Record<(typeof LOCALES)[number], Catalog>;
const english = catalogs['en-US'];
const domainFiles = sourceFiles(join(ROOT, 'src', 'domain'));

describe('locale catalogs', () => {
  it.each(LOCALES.filter((l) => l !== 'en-US'))('%s has exactly the keys of en-US', (locale) => {
    expect(Object.keys(catalogs[locale]).sort()).toEqual(Object.keys(english).sort());
  });

  it.each(LOCALES.filter((l) => l !== 'en-US'))('%s uses the same placeholders as en-US in every message', (locale) => {
    const mismatched = Object.entries(english)
      .filter(
        ([key, message]) =>
          catalogs[locale][key] !== undefined &&
          placeholdersOf(catalogs[locale][key]).join() !== placeholdersOf(message).join(),
      )
      .map(([key]) => key);
    expect(mismatched).toEqual([]);
  });

  it.each(LOCALES)('%s writes every message well formed, with words for a count rather than "(s)"', (locale) => {
    const messages = Object.entries(catalogs[locale]);
    expect(messages.filter(([, message]) => !isWellFormed(message)).map(([key]) => key)).toEqual([]);
    // "day(s)", "dag(er)", "dag(ar)": a count says its own number's words through a plural.
    expect(messages.filter(([, message]) => /\p{L}\((s|e|er|r|ar|or|n)\)/u.test(message)).map(([key]) => key)).toEqual(
      [],
    );
  });

  it.each(LOCALES)('%s has no empty message', (locale) => {
    expect(Object.entries(catalogs[locale]).filter(([, message]) => message.trim() === '')).toEqual([]);
  });

  it('every refusal a user can meet has a message', () => {
    expect(REFUSAL_CODES.filter((code) => !english[`refusal.${code}`])).toEqual([]);
  });

  it('every reason the domain gives has a message', () => {
    // Reason codes are `<dimension>.<rule>` literals; finding every such literal (not only direct reason() calls)
    // also catches codes picked from maps or ternaries.
    const codePattern =
      /^(schedule|gate|risk|raid|budget|tolerance|staleness|evm|enforcement|overall)\.[a-z][A-Za-z]+$/;
    const codes = new Set(domainFiles.flatMap(stringLiterals).filter((text) => codePattern.test(text)));
    expect(codes.size).toBeGreaterThan(20);
    expect([...codes].filter((code) => !english[`reason.${code}`])).toEqual([]);
  });
});

describe('formatMessage', () => {
  const catalog: Catalog = {
    'refusal.project-closed': 'This project is {status}.',
    'param.status.killed': 'killed',
    'reason.x': '{gate} needs {deciders} ({count})',
    'param.deciders.pmo': 'the PMO',
    'param.deciders.sponsor': 'the sponsor',
  };

  it('fills placeholders and translates code params', () => {
    expect(formatMessage(catalog, 'refusal.project-closed', { status: 'killed' })).toBe('This project is killed.');
    expect(formatMessage(catalog, 'reason.x', { gate: 'Gate 2', deciders: 'pmo, sponsor', count: 2 })).toBe(
      'Gate 2 needs the PMO, the sponsor (2)',
    );
  });

  it('leaves unknown values and missing params visible rather than inventing text', () => {
    expect(formatMessage(catalog, 'reason.x', { gate: 'G', deciders: 'pmo, cfo' })).toBe('G needs pmo, cfo ({count})');
  });

  it('falls back to the fallback catalog, then to the key', () => {
    expect(formatMessage({}, 'refusal.project-closed', { status: 'killed' }, catalog)).toBe('This project is killed.');
    expect(formatMessage({}, 'nope')).toBe('nope');
  });

  it.each(LOCALES)('renders a real refusal in %s without leftover placeholders', (locale) => {
    const text = formatMessage(catalogs[locale], 'refusal.gate-not-ready', {
      gate: 'G3',
      mustOpen: 'Business case',
      score: 55,
      threshold: 60,
    });
    expect(text).not.toMatch(/\{\w+\}/);
    expect(text).toContain('55');
  });
});
