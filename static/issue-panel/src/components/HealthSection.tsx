import { type HealthView, type ReasonView } from '../../../../src/contract/issue-panel';
import { useI18n } from '../../../common/src/useI18n';
import { RagLozenge } from './RagLozenge';

function Reasons({ reasons }: { readonly reasons: readonly ReasonView[] }) {
  const { t } = useI18n();
  if (reasons.length === 0) return null;
  return (
    <ul className="reasons">
      {reasons.map((reason, index) => (
        <li key={`${reason.code}-${index}`} className={`reason reason-${reason.rag}`}>
          {t(`reason.${reason.code}`, reason.params)}
        </li>
      ))}
    </ul>
  );
}

/** Health per dimension with every reason in plain words: a colour nobody can explain is not shown. */
export default function HealthSection({ health }: { readonly health: HealthView }) {
  const { t } = useI18n();
  return (
    <section aria-labelledby="health-heading">
      <div className="row-between">
        <h3 id="health-heading">{t('panel.health.title')}</h3>
        <RagLozenge rag={health.overall} bold />
      </div>
      {health.closed && <p className="subtle">{t('panel.health.closed')}</p>}
      <Reasons reasons={health.reasons} />
      <table className="health">
        <caption className="visually-hidden">{t('panel.health.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('panel.health.dimensionHeader')}</th>
            <th scope="col">{t('panel.health.status')}</th>
            <th scope="col">{t('panel.health.why')}</th>
          </tr>
        </thead>
        <tbody>
          {health.dimensions.map((dimension) => (
            <tr key={dimension.dimension}>
              <th scope="row">{t(`panel.health.dimension.${dimension.dimension}`)}</th>
              <td>
                <RagLozenge rag={dimension.rag} />
              </td>
              <td>
                {dimension.reasons.length ? <Reasons reasons={dimension.reasons} /> : <span className="subtle">–</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
