import Spinner from '@atlaskit/spinner';
import { describeError } from './describe-error';
import { useI18n } from './useI18n';
import { type JqlPreview } from './useJqlCheck';

/**
 * What Jira says about the query being typed: the live count, Jira's own refusal, or that it is asking. `words` is
 * the catalog prefix of its three sentences (`.checking`, `.matches` with {count}, `.invalid` with {message});
 * `surface` the namespace describeError reads error types from.
 */
export function JqlStatus({
  preview,
  jql,
  words,
  surface,
}: {
  readonly preview: JqlPreview;
  readonly jql: string;
  readonly words: string;
  readonly surface: string;
}) {
  const { t } = useI18n();
  const current = preview.status !== 'idle' && preview.jql === jql.trim();
  let content = null;
  if (preview.status === 'checking' || (preview.status !== 'idle' && !current)) {
    content = (
      <span className="jql-checking">
        <Spinner size="small" label={t(`${words}.checking`)} />
        {t(`${words}.checking`)}
      </span>
    );
  } else if (preview.status === 'valid') {
    content = (
      <span className="jql-valid" data-testid="jql-count">
        {t(`${words}.matches`, { count: preview.count })}
      </span>
    );
  } else if (preview.status === 'invalid') {
    content = (
      <span className="field-error" data-testid="jql-error">
        {t(`${words}.invalid`, { message: preview.message })}
      </span>
    );
  } else if (preview.status === 'failed') {
    content = <span className="field-error">{describeError(t, preview.errors, surface)}</span>;
  }
  return (
    <div id="jql-status" className="jql-status" role="status" aria-live="polite">
      {content}
    </div>
  );
}
