import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmulatorHandle } from '../src/server.js';
import { loggedQueries, startEmulator } from '../src/server.js';
import { FIXTURE_NOW, orgFixtureWithLicenses } from './support/org-fixture.js';

let handle: EmulatorHandle;
let base: string;
/** The fixture's licenses: its own and 2,500 more Trials, so a query of them has two pages. */
let licenses: number;

beforeAll(async () => {
  const data = orgFixtureWithLicenses(2_500);
  licenses = data.sfLma__License__c.length;
  handle = await startEmulator({ data, clock: () => FIXTURE_NOW });
  base = `/services/data/v${handle.apiVersion}`;
});
afterAll(() => handle.close());

interface SubResult {
  referenceId: string;
  httpStatusCode: number;
  body: { totalSize?: number; done?: boolean; records?: unknown[]; nextRecordsUrl?: string } & {
    [index: number]: { errorCode: string; message: string };
  };
}

async function composite(body: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${handle.url}${base}/composite`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${handle.accessToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

const query = (referenceId: string, soql: string) => ({
  method: 'GET',
  referenceId,
  url: `${base}/query?q=${encodeURIComponent(soql)}`,
});
const more = (referenceId: string, of: string) => ({ method: 'GET', referenceId, url: `@{${of}.nextRecordsUrl}` });
const results = (json: unknown) => (json as { compositeResponse: SubResult[] }).compositeResponse;

describe('POST /composite', () => {
  it('runs the subrequests in order, a later one reading an earlier one’s result by reference, as one API call', async () => {
    const calls = handle.apiCallCount();
    const logged = handle.log.length;
    const { status, json } = await composite({
      compositeRequest: [
        query('all', 'SELECT Id FROM sfLma__License__c'),
        more('next', 'all'),
        more('past', 'next'),
        query('count', 'SELECT COUNT() FROM sfLma__Package__c'),
      ],
    });
    expect(status).toBe(200);
    const [all, next, past, count] = results(json);
    expect([all.referenceId, all.httpStatusCode, all.body.totalSize, all.body.records?.length]).toEqual([
      'all',
      200,
      licenses,
      2000,
    ]);
    expect([next.httpStatusCode, next.body.done, next.body.records?.length]).toEqual([200, true, licenses - 2000]);
    // The page after the last has no locator: its reference has no value.
    expect(past.httpStatusCode).toBe(400);
    expect(past.body[0]).toEqual({
      errorCode: 'PROCESSING_HALTED',
      message: 'Invalid reference specified. No value for next.nextRecordsUrl found in next.',
    });
    // A subrequest that depends on no failed one still runs.
    expect([count.httpStatusCode, count.body.totalSize]).toEqual([200, 2]);
    expect(handle.apiCallCount() - calls).toBe(1);
    const entries = handle.log.slice(logged);
    expect(entries).toHaveLength(1);
    expect(entries[0].subrequests?.map((s) => s.status)).toEqual([200, 200, 400, 200]);
    expect(loggedQueries(entries)).toEqual([
      'SELECT Id FROM sfLma__License__c',
      'SELECT COUNT() FROM sfLma__Package__c',
    ]);
  });

  it('with allOrNone, one failed subrequest fails them all, the rest rolled back', async () => {
    const { json } = await composite({
      allOrNone: true,
      compositeRequest: [
        query('good', 'SELECT Id FROM sfLma__Package__c'),
        query('bad', 'SELECT Nope FROM sfLma__Package__c'),
        query('later', 'SELECT Id FROM sfLma__Package__c'),
      ],
    });
    const answered = results(json);
    expect(answered.map((r) => [r.referenceId, r.httpStatusCode, r.body[0]?.errorCode])).toEqual([
      ['good', 400, 'PROCESSING_HALTED'],
      ['bad', 400, 'INVALID_FIELD'],
      ['later', 400, 'PROCESSING_HALTED'],
    ]);
  });

  it('refuses more than 5 query operations, more than 25 subrequests, and reference Ids Salesforce refuses', async () => {
    const six = Array.from({ length: 6 }, (_, i) => query(`q${i}`, 'SELECT Id FROM sfLma__Package__c'));
    const calls = handle.apiCallCount();
    const tooMany = await composite({ compositeRequest: six });
    expect(tooMany.status).toBe(400);
    expect((tooMany.json as { errorCode: string; message: string }[])[0]).toEqual({
      errorCode: 'LIMIT_EXCEEDED',
      message: 'A composite request takes up to 5 query operations (query, queryAll, query more); it had 6',
    });
    const describes = Array.from({ length: 26 }, (_, i) => ({
      method: 'GET',
      referenceId: `d${i}`,
      url: `${base}/sobjects/sfLma__License__c/describe`,
    }));
    expect((await composite({ compositeRequest: describes })).status).toBe(400);
    // 25 that are not queries are taken.
    expect((await composite({ compositeRequest: describes.slice(0, 25) })).status).toBe(200);
    const badId = await composite({ compositeRequest: [query('has-dash', 'SELECT Id FROM sfLma__Package__c')] });
    expect(badId.status).toBe(400);
    expect((badId.json as { errorCode: string }[])[0].errorCode).toBe('INVALID_INPUT');
    const twice = await composite({
      compositeRequest: [
        query('same', 'SELECT Id FROM sfLma__Package__c'),
        query('same', 'SELECT Id FROM sfLma__Package__c'),
      ],
    });
    expect(twice.status).toBe(400);
    expect(await composite({ compositeRequest: [] }).then((r) => r.status)).toBe(400);
    // Refused requests are not run, but each is an API call, as every request past authentication is.
    expect(handle.apiCallCount() - calls).toBe(6);
  });

  it('a subrequest takes the Sforce-Query-Options header; one naming an unknown resource is 404 alone', async () => {
    const { json } = await composite({
      compositeRequest: [
        {
          ...query('small', 'SELECT Id FROM sfLma__License__c'),
          httpHeaders: { 'Sforce-Query-Options': 'batchSize=200' },
        },
        { method: 'GET', referenceId: 'missing', url: `${base}/sobjects/NoSuchObject__c/describe` },
      ],
    });
    const [small, missing] = results(json);
    expect(small.body.records).toHaveLength(200);
    expect([missing.httpStatusCode, missing.body[0].errorCode]).toEqual([404, 'NOT_FOUND']);
  });

  it('needs a valid session like every API call', async () => {
    const res = await fetch(`${handle.url}${base}/composite`, {
      method: 'POST',
      headers: { Authorization: 'Bearer nope', 'Content-Type': 'application/json' },
      body: JSON.stringify({ compositeRequest: [query('a', 'SELECT Id FROM sfLma__Package__c')] }),
    });
    expect(res.status).toBe(401);
  });
});
