import Lozenge from '@atlaskit/lozenge';
import { type RagOrNone } from '../../../../src/domain/rag';
import { useI18n } from '../../../common/src/useI18n';

const APPEARANCE = { green: 'success', amber: 'moved', red: 'removed', none: 'default' } as const;

/** A RAG status as Jira's lozenge, named in the reader's language. */
export function RagLozenge({ rag, bold = false }: { readonly rag: RagOrNone; readonly bold?: boolean }) {
  const { t } = useI18n();
  return (
    <Lozenge appearance={APPEARANCE[rag]} isBold={bold}>
      {t(`rag.${rag}`)}
    </Lozenge>
  );
}
