/**
 * Tollgate's settings page (jira:adminPage). zod's generic messages are set to the reader's language before the form
 * checks anything.
 */
import { z } from 'zod';
import { startSurface } from '../../common/src/start';
import { Admin } from './components/Admin';
import { problemMessages } from './problems';
import '../../common/src/base.css';
import './styles.css';

startSurface((_context, translator) => {
  z.config({ customError: problemMessages(translator.t) });
  return <Admin />;
});
