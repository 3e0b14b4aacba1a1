import { type PortfolioData } from '../../../../src/contract/portfolio';
import { useI18n } from '../../../common/src/useI18n';
import { IssueLink } from './IssueLink';
import { RagLozenge } from './RagLozenge';

/** Projects the steering committee must look at, tolerance breaches first, each with its worst reasons. */
export function Exceptions({ exceptions }: { readonly exceptions: PortfolioData['exceptions'] }) {
  const { t } = useI18n();
  return (
    <section className="card" aria-labelledby="exceptions-heading">
      <h2 id="exceptions-heading">{t('portfolio.exceptions.title', { count: exceptions.total })}</h2>
      {exceptions.items.length === 0 ? (
        <p className="empty">{t('portfolio.exceptions.empty')}</p>
      ) : (
        <ul className="exceptions">
          {exceptions.items.map((entry) => (
            <li key={entry.key}>
              <div className="exception-line">
                <IssueLink issueKey={entry.key} />
                <span className="exception-summary">{entry.summary}</span>
                <RagLozenge rag={entry.overall} />
                {entry.toleranceBreached && <span className="badge">{t('portfolio.exceptions.tolerance')}</span>}
              </div>
              <ul className="reasons">
                {entry.reasons.map((reason, index) => (
                  <li key={index} className={`reason reason-${reason.rag}`}>
                    {t(`reason.${reason.code}`, reason.params)}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
      {exceptions.total > exceptions.items.length && (
        <p className="subtle">
          {t('portfolio.exceptions.more', { count: exceptions.total - exceptions.items.length })}
        </p>
      )}
    </section>
  );
}
