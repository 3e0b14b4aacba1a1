/**
 * One bundle for both Jira surfaces: the issue panel, and the issue glance (chosen by the module type Forge puts in
 * the context).
 */
import { startSurface } from '../../common/src/start';
import { Glance } from './components/Glance';
import { Panel } from './components/Panel';
import '../../common/src/base.css';
import './styles.css';

startSurface((context) => {
  const accountId = context.accountId ?? '';
  const isGlance = (context.extension as { type?: string }).type === 'jira:issueGlance';
  return isGlance ? <Glance accountId={accountId} /> : <Panel accountId={accountId} />;
});
