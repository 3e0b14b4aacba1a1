import Button from '@atlaskit/button/new';
import SectionMessage from '@atlaskit/section-message';
import { useCallback, useEffect, useState } from 'react';
import { type ReadModelStatus } from '../../../../src/contract/admin';
import { type ResolverError } from '../../../../src/contract/envelope';
import { asCallError } from '../../../common/src/call';
import { describeError } from '../../../common/src/describe-error';
import { useI18n } from '../../../common/src/useI18n';
import { readModelStatus, recheckReadModel } from '../bridge';

type Recheck =
  | { readonly kind: 'idle' }
  | { readonly kind: 'busy' }
  | { readonly kind: 'queued'; readonly count: number }
  | { readonly kind: 'failed'; readonly errors: readonly ResolverError[] };

/**
 * The portfolio view's state: how many projects it holds, since when every one was checked against Jira, and a full
 * check on demand (a change made behind Tollgate's back through Jira's REST API shows after such a check).
 */
export function ReadModelCard() {
  const { t, dateTime } = useI18n();
  const [status, setStatus] = useState<ReadModelStatus | null>(null);
  const [failed, setFailed] = useState<readonly ResolverError[] | null>(null);
  const [recheck, setRecheck] = useState<Recheck>({ kind: 'idle' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    readModelStatus()
      .then((loaded) => {
        if (live) setStatus(loaded);
      })
      .catch((failure: unknown) => {
        if (live) setFailed(asCallError(failure).errors);
      });
    return () => {
      live = false;
    };
  }, [attempt]);

  const onRecheck = useCallback(() => {
    setRecheck({ kind: 'busy' });
    recheckReadModel()
      .then((result) => {
        setRecheck({ kind: 'queued', count: result.queued });
        setAttempt((n) => n + 1);
      })
      .catch((failure: unknown) => setRecheck({ kind: 'failed', errors: asCallError(failure).errors }));
  }, []);

  if (failed) return null;
  return (
    <section className="card" aria-labelledby="read-model-heading" data-testid="read-model">
      <h2 id="read-model-heading">{t('admin.readModel.title')}</h2>
      {status === null ? (
        <p className="subtle">{t('admin.loading')}</p>
      ) : (
        <p>
          {status.checkedSince === null
            ? t('admin.readModel.empty')
            : t('admin.readModel.summary', { count: status.projects, when: dateTime(status.checkedSince) })}
        </p>
      )}
      <p className="subtle">{t('admin.readModel.why')}</p>
      <Button
        onClick={onRecheck}
        isDisabled={status === null || status.recheckFrom !== null || recheck.kind === 'busy'}
      >
        {t('admin.readModel.recheck')}
      </Button>
      {status?.recheckFrom && recheck.kind !== 'queued' && (
        <p className="subtle">{t('admin.readModel.recentNote', { from: dateTime(status.recheckFrom) })}</p>
      )}
      {recheck.kind === 'queued' && (
        <SectionMessage appearance="success">
          <p>{t('admin.readModel.queued', { count: recheck.count })}</p>
        </SectionMessage>
      )}
      {recheck.kind === 'failed' && (
        <SectionMessage appearance="error">
          <p>{describeError(t, recheck.errors, 'admin')}</p>
        </SectionMessage>
      )}
    </section>
  );
}
