import { UNBOUNDED_JQL_MESSAGE } from './jql';
import { MAX_RESULTS_WITH_FIELDS, MAX_SEARCH_PROPERTIES } from './routes';
import { AS, buildTestSite, type TestSite } from './testing';

interface SearchPage {
  issues: Array<{ id: string; key?: string; fields?: Record<string, unknown>; properties?: Record<string, unknown> }>;
  nextPageToken?: string;
  isLast: boolean;
}

const enc = encodeURIComponent;
const EXTRA_DEL_ISSUES = 140;

let site: TestSite;
beforeAll(() => {
  site = buildTestSite();
  site.store.transaction(() => {
    for (let i = 1; i <= EXTRA_DEL_ISSUES; i += 1) {
      site.store.createIssue({ project: 'DEL', issueType: 'Task', summary: `Work item ${i}` }, AS.owner);
    }
  });
});
afterAll(async () => {
  await site.close();
});

async function page(query: string): Promise<{ status: number; body: SearchPage }> {
  const response = await site.call(AS.lead, 'GET', `/rest/api/3/search/jql?${query}`);
  return { status: response.status, body: response.json as SearchPage };
}

describe('fields and properties', () => {
  it('returns ids only by default, as /search/jql does', async () => {
    const { status, body } = await page(`jql=${enc('key = PMO-1')}`);
    expect(status).toBe(200);
    expect(body).toEqual({ issues: [{ id: '10000' }], isLast: true });
    expect(body).not.toHaveProperty('total');
  });

  it('returns the requested fields and nothing else', async () => {
    const { body } = await page(`jql=${enc('key = PMO-1')}&fields=summary,duedate,nosuchfield`);
    expect(body.issues[0]).toEqual({
      expand: expect.any(String),
      id: '10000',
      self: 'http://jira.sandbox.test/rest/api/3/issue/10000',
      key: 'PMO-1',
      fields: { summary: 'Customer portal relaunch', duedate: '2026-04-20' },
    });
  });

  it('understands *all, *navigable and -field, and repeated fields parameters', async () => {
    const everything = (await page(`jql=${enc('key = PMO-1')}&fields=*all`)).body.issues[0]?.fields ?? {};
    expect(Object.keys(everything)).toEqual(
      expect.arrayContaining(['summary', 'status', 'assignee', 'labels', 'duedate', 'priority', 'description']),
    );
    const trimmed = (await page(`jql=${enc('key = PMO-1')}&fields=*navigable,-description&fields=-status`)).body
      .issues[0]?.fields;
    expect(trimmed).not.toHaveProperty('description');
    expect(trimmed).not.toHaveProperty('status');
    expect(trimmed).toHaveProperty('summary');
  });

  it('renders nested objects as Jira does', async () => {
    const fields = (await page(`jql=${enc('key = PMO-4')}&fields=status,assignee,priority,resolution`)).body.issues[0]
      ?.fields;
    expect(fields).toEqual({
      status: {
        self: 'http://jira.sandbox.test/rest/api/3/status/10006',
        description: '',
        iconUrl: 'http://jira.sandbox.test/',
        name: 'Closed',
        id: '10006',
        statusCategory: {
          self: 'http://jira.sandbox.test/rest/api/3/statuscategory/3',
          id: 3,
          key: 'done',
          colorName: 'green',
          name: 'Done',
        },
      },
      assignee: expect.objectContaining({ accountId: 'acc-owen', displayName: 'Owen Berg', accountType: 'atlassian' }),
      priority: expect.objectContaining({ id: '1', name: 'Highest' }),
      resolution: expect.objectContaining({ id: '10000', name: 'Done' }),
    });
  });

  it('adds the requested properties, leaving out the ones an issue lacks', async () => {
    const { body } = await page(`jql=${enc('key in (PMO-1, PMO-6) ORDER BY key')}&properties=tollgate-health,nope`);
    expect(body.issues.map((issue) => issue.properties)).toEqual([
      { 'tollgate-health': { rag: 'red', stage: 'G2', riskMax: 20, nextGateDate: '2026-05-10', owner: 'acc-owen' } },
      {},
    ]);
  });

  it(`refuses more than ${MAX_SEARCH_PROPERTIES} properties`, async () => {
    const response = await site.call(AS.lead, 'POST', '/rest/api/3/search/jql', {
      jql: 'project = PMO',
      properties: ['a', 'b', 'c', 'd', 'e', 'f'],
    });
    expect(response.status).toBe(400);
    expect(response.json).toEqual({
      errorMessages: ['At most 5 issue properties can be requested; 6 were.'],
      errors: {},
    });
  });
});

describe('page sizes', () => {
  const all = `jql=${enc('project = DEL ORDER BY key')}`;

  it('defaults to 50', async () => {
    expect((await page(all)).body.issues).toHaveLength(50);
  });

  it(`caps at ${MAX_RESULTS_WITH_FIELDS} when fields or properties are requested`, async () => {
    expect((await page(`${all}&fields=summary&maxResults=1000`)).body.issues).toHaveLength(100);
    expect((await page(`${all}&properties=tollgate-health&maxResults=1000`)).body.issues).toHaveLength(100);
  });

  it('serves up to 5000 when only id or key is requested', async () => {
    const idOnly = await page(`${all}&maxResults=5000`);
    expect(idOnly.body.issues).toHaveLength(EXTRA_DEL_ISSUES + 2);
    expect(idOnly.body.isLast).toBe(true);
    expect((await page(`${all}&fields=key&maxResults=5000`)).body.issues).toHaveLength(EXTRA_DEL_ISSUES + 2);
  });

  it.each(['0', '-1', '5001'])('refuses maxResults=%s', async (maxResults) => {
    const { status, body } = await page(`${all}&maxResults=${maxResults}`);
    expect(status).toBe(400);
    expect(body).toEqual({ errorMessages: ['The maxResults parameter must be between 1 and 5,000.'], errors: {} });
  });

  it('refuses a maxResults that is not a number, in Jira RFC 7807 shape', async () => {
    const response = await site.call(AS.lead, 'GET', `/rest/api/3/search/jql?${all}&maxResults=ten`);
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toBe('application/problem+json;charset=UTF-8');
    expect(response.json).toEqual({
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail: "Failed to convert 'maxResults' with value: 'ten'",
      instance: '/rest/api/3/search/jql',
    });
  });
});

describe('nextPageToken', () => {
  it.each([
    ['GET', 7],
    ['POST', 25],
    ['POST', 100],
  ] as const)(
    '%s pages of %i visit every issue exactly once, ending with isLast and no token',
    async (method, size) => {
      const jql = 'project in (PMO, DEL) ORDER BY key';
      const expected = site.engine.search(jql, AS.lead, { requireBounded: true }).map((issue) => issue.key);
      const visited: string[] = [];
      let token: string | undefined;
      let pages = 0;
      for (;;) {
        const response =
          method === 'GET'
            ? await site.call(
                AS.lead,
                'GET',
                `/rest/api/3/search/jql?jql=${enc(jql)}&fields=summary&maxResults=${size}${token ? `&nextPageToken=${enc(token)}` : ''}`,
              )
            : await site.call(AS.lead, 'POST', '/rest/api/3/search/jql', {
                jql,
                fields: ['summary'],
                maxResults: size,
                ...(token ? { nextPageToken: token } : {}),
              });
        expect(response.status).toBe(200);
        const body = response.json as SearchPage;
        pages += 1;
        visited.push(...body.issues.map((issue) => issue.key ?? ''));
        if (body.isLast) {
          expect(body).not.toHaveProperty('nextPageToken');
          break;
        }
        expect(body.issues).toHaveLength(size);
        token = body.nextPageToken;
        expect(typeof token).toBe('string');
      }
      expect(visited).toEqual(expected);
      expect(pages).toBe(Math.ceil(expected.length / size));
    },
  );

  it("refuses a token from another query and one it can't read", async () => {
    const first = (await page(`jql=${enc('project = DEL')}&maxResults=10`)).body;
    const foreign = await page(`jql=${enc('project = PMO')}&nextPageToken=${enc(first.nextPageToken ?? '')}`);
    expect(foreign.status).toBe(400);
    expect(foreign.body).toEqual({
      errorMessages: ['The provided nextPageToken belongs to a different query. Repeat the JQL the token came from.'],
      errors: {},
    });
    const garbage = await page(`jql=${enc('project = DEL')}&nextPageToken=BOGUS`);
    expect(garbage.status).toBe(400);
    expect(garbage.body).toEqual({
      errorMessages: ['The provided nextPageToken is invalid or has expired.'],
      errors: {},
    });
  });
});

describe('refusals', () => {
  it.each(['', 'ORDER BY key', '   order by created'])('refuses the unbounded query %j with Jira 400', async (jql) => {
    const { status, body } = await page(`jql=${enc(jql)}`);
    expect(status).toBe(400);
    expect(body).toEqual({ errorMessages: [UNBOUNDED_JQL_MESSAGE], errors: {} });
  });

  it('refuses a search with no jql at all, on both methods', async () => {
    expect((await site.call(AS.lead, 'GET', '/rest/api/3/search/jql')).status).toBe(400);
    expect((await site.call(AS.lead, 'POST', '/rest/api/3/search/jql', {})).json).toEqual({
      errorMessages: [UNBOUNDED_JQL_MESSAGE],
      errors: {},
    });
  });

  it('turns JQL errors into Jira 400 bodies', async () => {
    const { status, body } = await page(`jql=${enc('project = NOPE')}`);
    expect(status).toBe(400);
    expect(body).toEqual({ errorMessages: ["The value 'NOPE' does not exist for the field 'project'."], errors: {} });
  });

  it('answers POST bodies it cannot read as Jira does', async () => {
    const noType = await site.emulator.handle(
      { method: 'POST', path: '/rest/api/3/search/jql', body: '{"jql":"project = PMO"}' },
      AS.lead,
    );
    expect(noType.status).toBe(415);
    expect(JSON.parse(noType.body)).toMatchObject({
      title: 'Unsupported Media Type',
      detail: "Content-Type 'null' is not supported.",
    });
    const broken = await site.call(AS.lead, 'POST', '/rest/api/3/search/jql', '{"jql": ');
    expect(broken.status).toBe(400);
    expect(broken.json).toEqual({
      errorMessages: ['There was an error parsing JSON. Check that your request body is valid.'],
    });
    const wrongShape = await site.call(AS.lead, 'POST', '/rest/api/3/search/jql', {
      jql: 'project = PMO',
      maxResults: 'ten',
    });
    expect(wrongShape.status).toBe(400);
    expect(wrongShape.json).toEqual({
      errorMessages: ['Invalid request payload. Refer to the REST API documentation and try again.'],
    });
  });

  it('ignores expand and fieldsByKeys', async () => {
    const { status } = await page(`jql=${enc('key = PMO-1')}&expand=names,schema&fieldsByKeys=true`);
    expect(status).toBe(200);
  });
});

describe('approximate count', () => {
  it('counts the issues the caller may browse', async () => {
    const count = async (as: typeof AS.lead | typeof AS.outsider, jql: string) =>
      (await site.call(as, 'POST', '/rest/api/3/search/approximate-count', { jql })).json;
    expect(await count(AS.lead, 'labels = customer')).toEqual({ count: 3 });
    expect(await count(AS.outsider, 'labels = customer')).toEqual({ count: 1 });
    const unbounded = await site.call(AS.lead, 'POST', '/rest/api/3/search/approximate-count', { jql: '' });
    expect([unbounded.status, unbounded.json]).toEqual([400, { errorMessages: [UNBOUNDED_JQL_MESSAGE], errors: {} }]);
  });
});
