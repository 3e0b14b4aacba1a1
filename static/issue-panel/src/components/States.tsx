import Button from '@atlaskit/button/new';
import SectionMessage from '@atlaskit/section-message';
import Spinner from '@atlaskit/spinner';
import { type ResolverError } from '../../../../src/contract/envelope';
import { describeError } from '../../../common/src/describe-error';
import { useI18n } from '../../../common/src/useI18n';

/** While the project loads. */
export function Loading() {
  const { t } = useI18n();
  return (
    <div className="loading" role="status">
      <Spinner size="medium" label={t('panel.loading')} />
      <span>{t('panel.loading')}</span>
    </div>
  );
}

/** The project could not be read: what went wrong and what to do, with a retry. */
export function LoadError({
  errors,
  onRetry,
}: {
  readonly errors: readonly ResolverError[];
  readonly onRetry: () => void;
}) {
  const { t } = useI18n();
  return (
    <SectionMessage appearance="error" title={t('panel.error.title')}>
      <p>{describeError(t, errors, 'panel')}</p>
      <Button onClick={onRetry}>{t('panel.retry')}</Button>
    </SectionMessage>
  );
}
