import {
  DEFAULT_EVM_CONFIG,
  type EacMethod,
  estimateAtCompletion,
  evmConfigSchema,
  evmHealth,
  type EvmInput,
  evmInputSchema,
  evmMetrics,
  indexRag,
} from './evm';
import { type RagOrNone } from './rag';

// Money ratios carry float noise, so figures are compared to 9 decimals rather than exactly.
const close = (value: number | null): unknown => (value === null ? null : expect.closeTo(value, 9));

describe('evmMetrics', () => {
  it.each<[string, EvmInput, Record<string, number | null>]>([
    [
      'behind and over',
      { bac: 1000, pv: 500, ev: 400, ac: 500 },
      {
        sv: -100,
        cv: -100,
        spi: 0.8,
        cpi: 0.8,
        eac: 1250,
        etc: 750,
        vac: -250,
        eacToBac: 1.25,
        tcpi: 1.2,
        percentComplete: 0.4,
        cvPercent: -0.25,
      },
    ],
    [
      'ahead and under',
      { bac: 1000, pv: 400, ev: 500, ac: 400 },
      {
        sv: 100,
        cv: 100,
        spi: 1.25,
        cpi: 1.25,
        eac: 800,
        etc: 400,
        vac: 200,
        eacToBac: 0.8,
        tcpi: 500 / 600,
        percentComplete: 0.5,
        cvPercent: 0.2,
      },
    ],
    [
      'nothing planned yet: SPI n/a',
      { bac: 1000, pv: 0, ev: 0, ac: 0 },
      { sv: 0, cv: 0, spi: null, cpi: null, eac: null, etc: null, vac: null, eacToBac: null, tcpi: 1 },
    ],
    [
      'nothing spent yet: CPI n/a, so no typical EAC',
      { bac: 1000, pv: 100, ev: 100, ac: 0 },
      { spi: 1, cpi: null, eac: null, etc: null, vac: null, cvPercent: 1, percentComplete: 0.1 },
    ],
    [
      'money spent but nothing earned: CPI 0 gives no forecast',
      { bac: 1000, pv: 100, ev: 0, ac: 50 },
      { spi: 0, cpi: 0, eac: null, cvPercent: null, percentComplete: 0 },
    ],
    [
      'no budget: no % complete and no EAC/BAC',
      { bac: 0, pv: 10, ev: 10, ac: 20 },
      { cpi: 0.5, eac: 0, eacToBac: null, percentComplete: null, tcpi: 0.5 },
    ],
    ['budget exactly spent: TCPI n/a', { bac: 1000, pv: 900, ev: 800, ac: 1000 }, { tcpi: null }],
    ['budget overspent: TCPI negative', { bac: 1000, pv: 900, ev: 800, ac: 1100 }, { tcpi: -2 }],
  ])('%s', (_name, input, expected) => {
    const metrics = evmMetrics(input);
    const want = Object.fromEntries(Object.entries(expected).map(([key, value]) => [key, close(value)]));
    expect(metrics).toMatchObject(want);
  });
});

describe('estimateAtCompletion by method', () => {
  const input: EvmInput = { bac: 1000, pv: 500, ev: 400, ac: 500 };

  it.each<[EacMethod, EvmInput, number | null]>([
    ['typical', input, 1250],
    ['atypical', input, 1100],
    ['cpi-spi', input, 500 + 600 / 0.64],
    ['typical', { ...input, ac: 0 }, null],
    ['atypical', { ...input, ac: 0 }, 600],
    ['cpi-spi', { ...input, ac: 0 }, null],
    ['cpi-spi', { ...input, pv: 0 }, null],
    ['cpi-spi', { ...input, ev: 0 }, null],
    ['atypical', { ...input, pv: 0 }, 1100],
  ])('%s for %j is %p', (method, value, eac) => {
    expect(estimateAtCompletion(value, method)).toEqual(close(eac));
  });

  it('reports the method alongside the figures', () => {
    expect(evmMetrics(input, 'cpi-spi')).toMatchObject({ eacMethod: 'cpi-spi', etc: close(600 / 0.64) });
  });
});

describe('evmInputSchema', () => {
  it.each<[string, unknown, RegExp]>([
    ['a negative BAC', { bac: -1, pv: 0, ev: 0, ac: 0 }, /Budget at completion \(BAC\) cannot be negative/],
    ['a negative AC', { bac: 1, pv: 0, ev: 0, ac: -0.01 }, /Actual cost \(AC\) cannot be negative/],
    ['an infinite PV', { bac: 1, pv: Infinity, ev: 0, ac: 0 }, /Planned value \(PV\) must be an amount of money/],
    ['a NaN EV', { bac: 1, pv: 0, ev: Number.NaN, ac: 0 }, /Earned value \(EV\) must be an amount of money/],
    ['text', { bac: '100', pv: 0, ev: 0, ac: 0 }, /BAC\) must be an amount of money/],
  ])('refuses %s', (_name, input, message) => {
    const result = evmInputSchema.safeParse(input);
    expect(result.error?.issues.map((issue) => issue.message).join('\n')).toMatch(message);
  });

  it('accepts zeros', () => {
    expect(evmInputSchema.safeParse({ bac: 0, pv: 0, ev: 0, ac: 0 }).success).toBe(true);
  });

  it('guards every entry point', () => {
    const bad = { bac: -1, pv: 0, ev: 0, ac: 0 };
    expect(() => evmMetrics(bad)).toThrow(/cannot be negative/);
    expect(() => estimateAtCompletion(bad, 'atypical')).toThrow(/cannot be negative/);
    expect(() => evmHealth(bad)).toThrow(/cannot be negative/);
  });
});

describe('indexRag with the default thresholds', () => {
  it.each<[number | null, RagOrNone]>([
    [1.2, 'green'],
    [1, 'green'],
    [0.95, 'green'],
    [95 / 100, 'green'],
    [2.09 / 2.2, 'green'],
    [0.9499, 'amber'],
    [0.85, 'amber'],
    [0.8499, 'red'],
    [0, 'red'],
    [null, 'none'],
  ])('%p is %s', (index, rag) => {
    expect(indexRag(index, DEFAULT_EVM_CONFIG.index)).toBe(rag);
  });

  it.each<[number, RagOrNone]>([
    [1, 'green'],
    [0.9999, 'amber'],
    [0.9, 'amber'],
    [0.8999, 'red'],
  ])('with green 1.0 and amber 0.9, %p is %s', (index, rag) => {
    expect(indexRag(index, { green: 1, amber: 0.9 })).toBe(rag);
  });
});

describe('evmHealth: schedule', () => {
  const base = { bac: 10000, ac: 0 };

  it.each<[string, number, number, RagOrNone, string, Record<string, number>]>([
    ['ahead of plan', 1000, 1200, 'green', 'evm.spiOnTrack', { spi: 1.2, threshold: 0.95 }],
    ['exactly at green', 1000, 950, 'green', 'evm.spiOnTrack', { spi: 0.95, threshold: 0.95 }],
    ['at green despite float noise', 2.2, 2.09, 'green', 'evm.spiOnTrack', { spi: 0.95, threshold: 0.95 }],
    ['just below green', 10000, 9496, 'amber', 'evm.spiBelow', { spi: 0.94, threshold: 0.95 }],
    ['exactly at amber', 1000, 850, 'amber', 'evm.spiBelow', { spi: 0.85, threshold: 0.95 }],
    ['just below amber', 10000, 8499, 'red', 'evm.spiBelow', { spi: 0.84, threshold: 0.85 }],
    ['nothing earned', 1000, 0, 'red', 'evm.spiBelow', { spi: 0, threshold: 0.85 }],
  ])('%s (PV %p, EV %p)', (_name, pv, ev, rag, code, params) => {
    const { schedule } = evmHealth({ ...base, pv, ev });
    expect(schedule.rag).toBe(rag);
    expect(schedule.reasons).toEqual([{ code, rag, params }]);
  });

  it('says SPI is unavailable, not green, when nothing was planned yet', () => {
    const { schedule } = evmHealth({ bac: 1000, pv: 0, ev: 0, ac: 0 });
    expect(schedule).toEqual({ rag: 'none', reasons: [{ code: 'evm.spiUnavailable', rag: 'green', params: {} }] });
  });
});

describe('evmHealth: budget', () => {
  // The one-off (atypical) method makes EAC = AC + BAC − EV, so each case sets EAC/BAC directly.
  const atypical = { ...DEFAULT_EVM_CONFIG, eacMethod: 'atypical' as const };
  const planned = { bac: 10000, pv: 5000, ev: 5000 };

  it.each<[string, number, RagOrNone, Record<string, number>]>([
    ['under budget', 4000, 'green', { eac: 9000, bac: 10000, eacPercent: 90 }],
    ['exactly on budget', 5000, 'green', { eac: 10000, bac: 10000, eacPercent: 100 }],
  ])('EAC %s', (_name, ac, rag, params) => {
    const [, eac] = evmHealth({ ...planned, ac }, atypical).budget.reasons;
    expect(eac).toEqual({ code: 'evm.eacWithinBudget', rag, params });
  });

  it.each<[string, number, RagOrNone, Record<string, number>]>([
    ['just over budget', 5001, 'amber', { eac: 10001, bac: 10000, eacPercent: 101, limitPercent: 100 }],
    ['exactly at the amber limit', 5500, 'amber', { eac: 10500, bac: 10000, eacPercent: 105, limitPercent: 100 }],
    ['just over the amber limit', 5504, 'red', { eac: 10504, bac: 10000, eacPercent: 106, limitPercent: 105 }],
  ])('EAC %s', (_name, ac, rag, params) => {
    const [, eac] = evmHealth({ ...planned, ac }, atypical).budget.reasons;
    expect(eac).toEqual({ code: 'evm.eacOverBudget', rag, params });
  });

  it.each<[string, EvmInput, RagOrNone, string, Record<string, number>]>([
    [
      'CPI on track',
      { bac: 10000, pv: 1000, ev: 1000, ac: 1000 },
      'green',
      'evm.cpiOnTrack',
      { cpi: 1, threshold: 0.95 },
    ],
    [
      'CPI just below green',
      { bac: 10000, pv: 1000, ev: 9496, ac: 10000 },
      'amber',
      'evm.cpiBelow',
      { cpi: 0.94, threshold: 0.95 },
    ],
    [
      'CPI exactly at amber',
      { bac: 10000, pv: 1000, ev: 850, ac: 1000 },
      'amber',
      'evm.cpiBelow',
      { cpi: 0.85, threshold: 0.95 },
    ],
    [
      'CPI just below amber',
      { bac: 10000, pv: 1000, ev: 8499, ac: 10000 },
      'red',
      'evm.cpiBelow',
      { cpi: 0.84, threshold: 0.85 },
    ],
  ])('%s', (_name, input, rag, code, params) => {
    const [cpi] = evmHealth(input, atypical).budget.reasons;
    expect(cpi).toEqual({ code, rag, params });
  });

  it.each<[string, EvmInput, RagOrNone]>([
    ['green CPI, green EAC', { bac: 10000, pv: 5000, ev: 5000, ac: 5000 }, 'green'],
    ['green CPI, amber EAC', { bac: 10000, pv: 5000, ev: 5000, ac: 5200 }, 'amber'],
    ['amber CPI, red EAC', { bac: 10000, pv: 5000, ev: 5000, ac: 5600 }, 'red'],
    ['red CPI, amber EAC', { bac: 100000, pv: 1000, ev: 1000, ac: 2000 }, 'red'],
  ])('takes the worse of CPI and EAC: %s', (_name, input, rag) => {
    expect(evmHealth(input, atypical).budget.rag).toBe(rag);
  });

  it('keeps an EAC of exactly 105 % amber under the typical method despite float noise', () => {
    const { budget } = evmHealth({ bac: 1000, pv: 10.2, ev: 10.2, ac: 10.71 });
    expect(budget.rag).toBe('amber');
    expect(budget.reasons[1]).toMatchObject({ code: 'evm.eacOverBudget', rag: 'amber', params: { eacPercent: 105 } });
  });

  it.each<[string, EvmInput, EacMethod, RagOrNone, string[]]>([
    [
      'nothing spent, typical',
      { bac: 1000, pv: 100, ev: 100, ac: 0 },
      'typical',
      'none',
      ['evm.cpiUnavailable', 'evm.eacUnavailable'],
    ],
    [
      'nothing spent, atypical',
      { bac: 1000, pv: 100, ev: 100, ac: 0 },
      'atypical',
      'green',
      ['evm.cpiUnavailable', 'evm.eacWithinBudget'],
    ],
    ['no budget set', { bac: 0, pv: 0, ev: 0, ac: 0 }, 'typical', 'none', ['evm.cpiUnavailable', 'evm.noBudget']],
    [
      'no budget but money spent',
      { bac: 0, pv: 10, ev: 10, ac: 10 },
      'typical',
      'green',
      ['evm.cpiOnTrack', 'evm.noBudget'],
    ],
  ])('says what it cannot judge: %s', (_name, input, eacMethod, rag, codes) => {
    const { budget } = evmHealth(input, { ...DEFAULT_EVM_CONFIG, eacMethod });
    expect(budget.rag).toBe(rag);
    expect(budget.reasons.map((r) => r.code)).toEqual(codes);
    const unjudged = budget.reasons.filter((r) => r.code.endsWith('Unavailable') || r.code === 'evm.noBudget');
    expect(unjudged.every((r) => r.rag === 'green' && Object.keys(r.params).length === 0)).toBe(true);
  });

  it('returns the metrics it judged', () => {
    expect(evmHealth({ bac: 1000, pv: 500, ev: 400, ac: 500 }).metrics).toMatchObject({ spi: 0.8, eac: 1250 });
  });
});

describe('evmConfigSchema', () => {
  it('defaults to the handbook thresholds', () => {
    expect(evmConfigSchema.parse({})).toEqual({
      index: { green: 0.95, amber: 0.85 },
      eacToBac: { green: 1, amber: 1.05 },
      eacMethod: 'typical',
    });
    expect(DEFAULT_EVM_CONFIG).toEqual(evmConfigSchema.parse({}));
  });

  it.each<[string, unknown]>([
    ['equal index thresholds', { index: { green: 0.9, amber: 0.9 } }],
    ['equal EAC limits', { eacToBac: { green: 1.1, amber: 1.1 } }],
    ['another method', { eacMethod: 'cpi-spi' }],
  ])('accepts %s', (_name, config) => {
    expect(evmConfigSchema.safeParse(config).success).toBe(true);
  });

  it.each<[string, unknown, RegExp]>([
    ['amber above green', { index: { green: 0.9, amber: 0.95 } }, /amber threshold must not be above the green one/],
    ['an EAC green limit above amber', { eacToBac: { green: 1.1, amber: 1.05 } }, /amber limit must not be below/],
    ['a zero threshold', { index: { green: 0.95, amber: 0 } }, /amber threshold must be above 0/],
    ['an unknown method', { eacMethod: 'guess' }, /EAC method must be one of typical, atypical, cpi-spi/],
  ])('refuses %s', (_name, config, message) => {
    expect(
      evmConfigSchema
        .safeParse(config)
        .error?.issues.map((issue) => issue.message)
        .join('\n'),
    ).toMatch(message);
  });

  it('applies custom thresholds', () => {
    const config = evmConfigSchema.parse({ index: { green: 1, amber: 0.9 } });
    expect(evmHealth({ bac: 1000, pv: 100, ev: 95, ac: 0 }, config).schedule.rag).toBe('amber');
  });
});
