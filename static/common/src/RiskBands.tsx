/**
 * Risk bands drawn the same on every surface: one name (`risk.band.*`) and one colour (base.css `.band-*`, the
 * palette of the panel's matrix, the portfolio's heat map and the macro's), so "moderate" never reads purple in one
 * place and yellow in another.
 */
import { type ReactNode } from 'react';
import { RISK_BANDS, type RiskBand } from '../../../src/domain/risk-bands';
import { useI18n } from './useI18n';

/** A band's score range. */
export interface BandRange {
  readonly band: RiskBand;
  readonly min: number;
  readonly max: number;
}

/** A score or count shown in its band's colour, with the band's name after it (colour is never the only signal). */
export function BandBadge({ band, children }: { readonly band: RiskBand; readonly children?: ReactNode }) {
  const { t } = useI18n();
  return (
    <span className={`band-badge band-${band}`} data-band={band}>
      {children}
      {children === undefined ? '' : ' '}
      {t(`risk.band.${band}`)}
    </span>
  );
}

/** The bands' ranges as the squares of a matrix show them: each band from its lowest score to its highest. */
export function rangesOf(squares: ReadonlyArray<{ readonly score: number; readonly band: RiskBand }>): BandRange[] {
  return RISK_BANDS.flatMap((band) => {
    const scores = squares.filter((square) => square.band === band).map((square) => square.score);
    return scores.length === 0 ? [] : [{ band, min: Math.min(...scores), max: Math.max(...scores) }];
  });
}

/** The key to a matrix's colours: each band's swatch, name and score range. */
export function BandLegend({ ranges, label }: { readonly ranges: readonly BandRange[]; readonly label: string }) {
  const { t } = useI18n();
  return (
    <ul className="band-legend" aria-label={label}>
      {ranges.map((range) => (
        <li key={range.band} data-band={range.band}>
          <span className={`band-swatch band-${range.band}`} aria-hidden="true" />
          {t(`risk.band.${range.band}`)}{' '}
          <span className="subtle">{range.min === range.max ? range.min : `${range.min}–${range.max}`}</span>
        </li>
      ))}
    </ul>
  );
}
