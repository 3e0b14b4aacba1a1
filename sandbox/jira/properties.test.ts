import { ISSUE_NOT_FOUND } from './errors';
import { PROPERTY_VALUE_MAX_LENGTH } from './store';
import { AS, buildTestSite, type TestSite } from './testing';

let site: TestSite;
beforeEach(() => {
  site = buildTestSite();
});
afterEach(async () => {
  await site.close();
});

const PATH = '/rest/api/3/issue/PMO-2/properties/tollgate-raid';

describe('PUT, GET and DELETE', () => {
  it('creates with 201, replaces with 200, and reads back the value', async () => {
    expect((await site.call(AS.lead, 'PUT', PATH, { items: [] })).status).toBe(201);
    expect((await site.call(AS.lead, 'PUT', PATH, { items: [{ id: 'R1' }] })).status).toBe(200);
    const read = await site.call(AS.member, 'GET', PATH);
    expect([read.status, read.json]).toEqual([200, { key: 'tollgate-raid', value: { items: [{ id: 'R1' }] } }]);
  });

  it('lists property keys with their URLs', async () => {
    await site.call(AS.lead, 'PUT', PATH, [1]);
    const list = await site.call(AS.member, 'GET', '/rest/api/3/issue/10001/properties');
    expect(list.json).toEqual({
      keys: [
        { key: 'tollgate-health', self: 'http://jira.sandbox.test/rest/api/3/issue/PMO-2/properties/tollgate-health' },
        { key: 'tollgate-raid', self: 'http://jira.sandbox.test/rest/api/3/issue/PMO-2/properties/tollgate-raid' },
      ],
    });
  });

  it('deletes with 204, then answers 404', async () => {
    await site.call(AS.lead, 'PUT', PATH, [1]);
    expect((await site.call(AS.lead, 'DELETE', PATH)).status).toBe(204);
    const again = await site.call(AS.lead, 'DELETE', PATH);
    expect([again.status, again.json]).toEqual([
      404,
      { errorMessages: ["The property with key 'tollgate-raid' does not exist."], errors: {} },
    ]);
    expect((await site.call(AS.lead, 'GET', PATH)).status).toBe(404);
  });

  it('accepts any JSON value, and keys with dots or escaped characters', async () => {
    for (const value of ['"text"', '42', 'true', '[]']) {
      expect((await site.call(AS.lead, 'PUT', '/rest/api/3/issue/PMO-2/properties/issue.support', value)).status).toBe(
        value === '"text"' ? 201 : 200,
      );
    }
    expect((await site.call(AS.lead, 'PUT', '/rest/api/3/issue/PMO-2/properties/a%20b', '{"x":1}')).status).toBe(201);
    expect(site.store.getProperty('10001', 'a b')).toEqual({ x: 1 });
  });
});

describe('limits (OpenAPI setIssueProperty)', () => {
  it(`accepts exactly ${PROPERTY_VALUE_MAX_LENGTH} characters and refuses one more, leaving the value unchanged`, async () => {
    await site.call(AS.lead, 'PUT', PATH, '"before"');
    const fits = `"${'x'.repeat(PROPERTY_VALUE_MAX_LENGTH - 2)}"`;
    expect(fits).toHaveLength(PROPERTY_VALUE_MAX_LENGTH);
    expect((await site.call(AS.lead, 'PUT', PATH, fits)).status).toBe(200);
    const tooLong = `"${'y'.repeat(PROPERTY_VALUE_MAX_LENGTH - 1)}"`;
    const refused = await site.call(AS.lead, 'PUT', PATH, tooLong);
    expect([refused.status, refused.json]).toEqual([
      400,
      { errorMessages: ['The property value cannot be longer than 32768 characters.'], errors: {} },
    ]);
    expect(site.store.getProperty('10001', 'tollgate-raid')).toBe('x'.repeat(PROPERTY_VALUE_MAX_LENGTH - 2));
  });

  it.each([
    ['invalid JSON', '{"items": ['],
    ['an empty body', ''],
    ['whitespace', '   '],
  ])('refuses %s with 400', async (_what, body) => {
    const refused = await site.call(AS.lead, 'PUT', PATH, body);
    expect([refused.status, refused.json]).toEqual([
      400,
      { errorMessages: ['The property value has to be a valid, non-empty JSON.'], errors: {} },
    ]);
    expect(site.store.getProperty('10001', 'tollgate-raid')).toBeUndefined();
  });

  it('refuses a key longer than 255 characters', async () => {
    const refused = await site.call(AS.lead, 'PUT', `/rest/api/3/issue/PMO-2/properties/${'k'.repeat(256)}`, '1');
    expect(refused.json).toEqual({
      errorMessages: ['The property key cannot be longer than 255 characters.'],
      errors: {},
    });
  });

  it('needs a JSON media type', async () => {
    const response = await site.emulator.handle(
      { method: 'PUT', path: PATH, body: '{}', headers: { 'content-type': 'text/plain' } },
      AS.lead,
    );
    expect(response.status).toBe(415);
  });
});

describe('permissions', () => {
  it('lets a user who may browse but not edit read, and refuses their writes with 403', async () => {
    expect((await site.call(AS.member, 'GET', '/rest/api/3/issue/PMO-1/properties/tollgate-health')).status).toBe(200);
    for (const method of ['PUT', 'DELETE']) {
      const refused = await site.call(AS.member, method, '/rest/api/3/issue/PMO-1/properties/tollgate-health', {
        rag: 'green',
      });
      expect([refused.status, refused.json]).toEqual([
        403,
        { errorMessages: ['You do not have permission to edit this issue'], errors: {} },
      ]);
    }
    expect(site.store.getProperty('10000', 'tollgate-health')).toMatchObject({ rag: 'red' });
  });

  it('answers 404 to a user who may not browse the issue, for every verb', async () => {
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const response = await site.call(AS.outsider, method, '/rest/api/3/issue/PMO-1/properties/tollgate-health', [1]);
      expect([response.status, response.json]).toEqual([404, { errorMessages: [ISSUE_NOT_FOUND], errors: {} }]);
    }
    const list = await site.call(AS.outsider, 'GET', '/rest/api/3/issue/PMO-1/properties');
    expect(list.status).toBe(404);
  });

  it('answers 404 for an issue that does not exist', async () => {
    const response = await site.call(AS.lead, 'GET', '/rest/api/3/issue/PMO-404/properties');
    expect([response.status, response.json]).toEqual([404, { errorMessages: [ISSUE_NOT_FOUND], errors: {} }]);
  });

  it('lets the app write anywhere', async () => {
    expect(
      (await site.call(AS.app, 'PUT', '/rest/api/3/issue/SEC-1/properties/tollgate-health', { rag: 'green' })).status,
    ).toBe(201);
  });
});
