/**
 * One bundle for both Jira surfaces: the issue panel, and the issue context panel (chosen by the module type Forge
 * puts in the context).
 */
import { startSurface } from '../../common/src/start';
import { IssueContext } from './components/IssueContext';
import { Panel } from './components/Panel';
import '../../common/src/base.css';
import './styles.css';

startSurface((context) => {
  const accountId = context.accountId ?? '';
  const isContext = (context.extension as { type?: string }).type === 'jira:issueContext';
  return isContext ? <IssueContext accountId={accountId} /> : <Panel accountId={accountId} />;
});
