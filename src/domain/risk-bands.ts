/**
 * The risk bands and the default banding, without schemas: the Custom UI bundles share them with the domain
 * (src/domain/risk.ts re-exports them) without pulling zod into the browser.
 */

/** The bands, lowest first; a configuration must use each exactly once in this order. */
export const RISK_BANDS = ['low', 'moderate', 'high', 'extreme'] as const;
/** How serious a score is. */
export type RiskBand = (typeof RISK_BANDS)[number];

/** NHS/NPSA "A risk matrix for risk managers" (2008): Low 1–3, Moderate 4–6, High 8–12, Extreme 15–25. */
export const DEFAULT_RISK_BANDS: ReadonlyArray<{
  readonly band: RiskBand;
  readonly min: number;
  readonly max: number;
}> = [
  { band: 'low', min: 1, max: 3 },
  { band: 'moderate', min: 4, max: 6 },
  { band: 'high', min: 8, max: 12 },
  { band: 'extreme', min: 15, max: 25 },
];
