/** The portfolio page (jira:globalPage). */
import { startSurface } from '../../common/src/start';
import { Portfolio } from './components/Portfolio';
import '../../common/src/base.css';
import './styles.css';

startSurface(() => <Portfolio />);
