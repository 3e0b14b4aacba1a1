import Lozenge from '@atlaskit/lozenge';
import { type MacroCell } from '../../../../src/contract/macro';
import { BandBadge } from '../../../common/src/RiskBands';
import { useI18n } from '../../../common/src/useI18n';

const RAG_APPEARANCE = { green: 'success', amber: 'moved', red: 'removed', none: 'default' } as const;

/**
 * One cell of the macro's table as the reader sees it: RAG as Jira's lozenge in the reader's language, a person by
 * name (the server's, else Jira's, looked up as the reader), text as text.
 */
export function Cell({
  cell,
  names,
}: {
  readonly cell: MacroCell;
  readonly names: ReadonlyMap<string, string | null>;
}) {
  const { t, number, date } = useI18n();
  switch (cell.kind) {
    case 'text':
      return <>{cell.text}</>;
    case 'rag':
      return <Lozenge appearance={RAG_APPEARANCE[cell.rag]}>{t(`rag.${cell.rag}`)}</Lozenge>;
    case 'user': {
      const name = cell.name ?? names.get(cell.accountId);
      return <span className="user">{name ?? (names.has(cell.accountId) ? t('macro.user.unknown') : '…')}</span>;
    }
    case 'date':
      return <time dateTime={cell.day}>{date(cell.day)}</time>;
    case 'risk':
      return <BandBadge band={cell.band}>{number(cell.count)}</BandBadge>;
  }
}
