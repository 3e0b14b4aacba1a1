import Button from '@atlaskit/button/new';
import SectionMessage from '@atlaskit/section-message';
import { type IntegrityView } from '../../../../src/contract/issue-panel';
import { useI18n } from '../../../common/src/useI18n';

interface Props {
  readonly integrity: IntegrityView;
  readonly canRestore: boolean;
  readonly busy: boolean;
  readonly names: ReadonlyMap<string, string | null>;
  readonly onRestore: () => void;
}

/** Says when what Jira stores is not what Tollgate wrote, and lets a PMO lead put it back. */
export function IntegrityBanner({ integrity, canRestore, busy, names, onRestore }: Props) {
  const { t, dateTime } = useI18n();
  if (integrity.status === 'ok') return null;
  if (integrity.status === 'repaired' || integrity.status === 'unverified') {
    return <SectionMessage appearance="information">{t(`panel.integrity.${integrity.status}`)}</SectionMessage>;
  }
  const last = integrity.lastGenuine;
  // Tampered with and no log of the project (no last genuine change): a restore can only remove what is stored.
  const noLog = integrity.status === 'tampered' && last === null;
  return (
    <SectionMessage
      appearance={integrity.status === 'damaged' ? 'error' : 'warning'}
      title={t(`panel.integrity.${integrity.status}.title`)}
    >
      <p>
        {integrity.status === 'tampered'
          ? t(`panel.integrity.reason.${integrity.tamperReason ?? 'signature'}`)
          : t('panel.integrity.damage', { problem: integrity.damage ?? '' })}
      </p>
      {last && (
        <p>
          {t('panel.integrity.lastGenuine', {
            rev: last.rev,
            name: names.get(last.by) ?? last.by,
            when: dateTime(last.at),
          })}
        </p>
      )}
      <p>
        {t(
          canRestore ? (noLog ? 'panel.integrity.clearHint' : 'panel.integrity.restoreHint') : 'panel.integrity.askPmo',
        )}
      </p>
      {canRestore && (
        <Button appearance="warning" onClick={onRestore} isLoading={busy}>
          {t(noLog ? 'panel.integrity.clear' : 'panel.integrity.restore')}
        </Button>
      )}
    </SectionMessage>
  );
}
