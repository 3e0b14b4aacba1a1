import { type StageCount } from '../../../../src/domain/portfolio';
import { useI18n } from '../../../common/src/useI18n';

const SEGMENTS = ['red', 'amber', 'green', 'none'] as const;

/**
 * Live projects by stage, in lifecycle order, each bar split by health. A stage is a button: it filters the table
 * to that stage (the same stage filter as the pick-list), and a second press shows every stage again.
 */
export function Funnel({
  funnel,
  selected,
  onSelect,
}: {
  readonly funnel: readonly StageCount[];
  readonly selected: readonly string[];
  readonly onSelect: (stage: string) => void;
}) {
  const { t, term } = useI18n();
  const widest = Math.max(1, ...funnel.map((stage) => stage.count));
  return (
    <section className="card" aria-labelledby="funnel-heading">
      <h2 id="funnel-heading">{t('portfolio.funnel.title')}</h2>
      {funnel.length === 0 ? (
        <p className="empty">{t('portfolio.funnel.empty')}</p>
      ) : (
        <>
          <p className="subtle">{t('portfolio.funnel.hint')}</p>
          <ol className="funnel">
            {funnel.map(({ stageName, count, byRag }) => {
              const name = stageName ?? '';
              const pressed = selected.includes(name);
              return (
                <li key={name}>
                  <button type="button" className="funnel-stage" aria-pressed={pressed} onClick={() => onSelect(name)}>
                    <span className="funnel-name">{term('stage', name)}</span>{' '}
                    <span className="funnel-track" aria-hidden="true">
                      <span className="funnel-bar" style={{ width: `${(count / widest) * 100}%` }}>
                        {SEGMENTS.map((rag) =>
                          byRag[rag] > 0 ? (
                            <span key={rag} className={`funnel-segment seg-${rag}`} style={{ flexGrow: byRag[rag] }} />
                          ) : null,
                        )}
                      </span>
                    </span>
                    <span className="funnel-count">{count}</span>
                    {/* Said, not shown: the bar's colours in words, after the name and count that are shown. */}
                    <span className="visually-hidden">
                      {' '}
                      {t('portfolio.funnel.breakdown', {
                        count,
                        red: byRag.red,
                        amber: byRag.amber,
                        green: byRag.green,
                      })}
                    </span>
                  </button>
                </li>
              );
            })}
          </ol>
        </>
      )}
    </section>
  );
}
