/**
 * The test utility for running SDK-calling code inside an invocation: it must give `asUser()` the invoking user,
 * refuse `asUser()` where no user invoked (as Forge does), count down the invocation's time, and clean up.
 */
import { existsSync } from 'node:fs';
import { __getRuntime, NeedsAuthenticationError, asApp, asUser, route } from '@forge/api';
import { runInInvocation, startBareRuntime, type BareRuntime } from './invocation';
import { createFakeJira, FAKE_APP_ACCOUNT_ID, type FakeJira } from './testing/fake-jira';

async function whoAmI(requester: Pick<ReturnType<typeof asApp>, 'requestJira'>): Promise<unknown> {
  const response = await requester.requestJira(route`/rest/api/3/myself`);
  return ((await response.json()) as { accountId: unknown }).accountId;
}

describe('runInInvocation', () => {
  let jira: FakeJira;
  let bare: BareRuntime;

  beforeEach(async () => {
    jira = createFakeJira();
    bare = await startBareRuntime({ jira });
  });
  afterEach(async () => {
    await bare.close();
  });

  it('makes asUser() act as the invoking user, and asApp() as the app', async () => {
    await expect(runInInvocation(bare.runtime, { accountId: 'user-member' }, () => whoAmI(asUser()))).resolves.toBe(
      'user-member',
    );
    await expect(runInInvocation(bare.runtime, { accountId: 'user-member' }, () => whoAmI(asApp()))).resolves.toBe(
      FAKE_APP_ACCOUNT_ID,
    );
    expect(jira.requestLog().map((entry) => entry.principal)).toEqual(['user-member', 'app']);
  });

  it('refuses asUser() where no user invoked, as Forge does', async () => {
    await expect(runInInvocation(bare.runtime, {}, () => whoAmI(asUser()))).rejects.toBeInstanceOf(
      NeedsAuthenticationError,
    );
  });

  it("exposes the invoking user and the time left through Forge's runtime", async () => {
    const seen = await runInInvocation(bare.runtime, { accountId: 'user-lead', limitSeconds: 4 }, () =>
      Promise.resolve({
        aaid: __getRuntime().aaid,
        remaining: __getRuntime().lambdaContext.getRemainingTimeInMillis(),
      }),
    );
    expect(seen.aaid).toBe('user-lead');
    expect(seen.remaining).toBeGreaterThan(3_000);
    expect(seen.remaining).toBeLessThanOrEqual(4_000);
  });

  it('leaves no scope behind: outside it, requests are refused', async () => {
    await runInInvocation(bare.runtime, { accountId: 'user-lead' }, () => Promise.resolve());
    await expect(whoAmI(asUser())).rejects.toThrow(/outside a function invocation/);
  });

  it('refuses something that is not a sandbox runtime', async () => {
    await expect(
      runInInvocation({ ...bare.runtime }, { accountId: 'user-lead' }, () => Promise.resolve()),
    ).rejects.toThrow(/not a runtime made by createForgeRuntime/);
  });

  it('removes the bare app folder on close', async () => {
    // The runtime tells the app where its code is (`container.appCodeDir`), as Forge does.
    const appRoot = await runInInvocation(bare.runtime, {}, () =>
      Promise.resolve(__getRuntime().container.appCodeDir ?? ''),
    );
    expect(existsSync(appRoot)).toBe(true);
    await bare.close();
    expect(existsSync(appRoot)).toBe(false);
    bare = await startBareRuntime({ jira });
  });
});
