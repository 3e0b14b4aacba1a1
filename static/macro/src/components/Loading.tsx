import Spinner from '@atlaskit/spinner';
import { useI18n } from '../../../common/src/useI18n';

/** What the reader sees while the macro's data is on its way. */
export function Loading() {
  const { t } = useI18n();
  return (
    <div className="loading" role="status">
      <Spinner size="medium" label={t('macro.loading')} />
      <span>{t('macro.loading')}</span>
    </div>
  );
}
