/**
 * Installing (or upgrading) the app on a site builds the read model at once: the portfolio reads only the model, so
 * without this a new site would show no project until the first daily run.
 */
import { PEOPLE } from '../../sandbox/seed/people';
import { type PortfolioData } from '../../src/contract/portfolio';
import { callers } from '../reliability/kit';
import { type BackendWorld, startBackendWorld } from './backend-world';

const LEAD = PEOPLE.pmoLead.accountId;
const ADMIN = PEOPLE.admin.accountId;

jest.setTimeout(60_000);

describe('the read model on a new installation', () => {
  let world: BackendWorld;
  let call: ReturnType<typeof callers>;

  const projects = async (): Promise<number> => {
    const response = await call.portfolio<PortfolioData>(LEAD, 'portfolio/load', {});
    if (!response.success) throw new Error(JSON.stringify(response.errors));
    return response.data.scope.projects;
  };
  const emptyModel = () => world.editReadModel('DELETE FROM project_projection');

  beforeAll(async () => {
    world = await startBackendWorld('controlling');
    call = callers(world);
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterAll(() => world.close());

  it.each(['avi:forge:installed:app', 'avi:forge:upgraded:app'] as const)(
    'is built from the registry when %s arrives',
    async (event) => {
      await emptyModel();
      expect(await projects()).toBe(0);
      await world.runtime.deliverLifecycleEvent(event, ADMIN);
      await world.runtime.drainQueue();
      expect(await projects()).toBe(40);
      const record = world.runtime.invocations().find((r) => r.kind === 'lifecycle');
      expect(record).toMatchObject({ functionKey: 'lifecycle', outcome: 'ok' });
    },
  );
});
