import Lozenge from '@atlaskit/lozenge';
import { type RagOrNone } from '../../../../src/domain/rag';
import { useI18n } from '../../../common/src/useI18n';

const APPEARANCE = { green: 'success', amber: 'moved', red: 'removed', none: 'default' } as const;

/** A RAG status as Jira's lozenge, named in the reader's language. */
export function RagLozenge({ rag }: { readonly rag: RagOrNone }) {
  const { t } = useI18n();
  return <Lozenge appearance={APPEARANCE[rag]}>{t(`rag.${rag}`)}</Lozenge>;
}
