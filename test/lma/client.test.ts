/**
 * LmoClient over real jsforce to the embedded LMO: bounded retries with backoff, a per-request timeout,
 * errors sorted into kinds a user can act on, calls counted as Salesforce counts them.
 */

import { type EmulatorHandle, startEmulator } from '@lma-bot/lmo-emulator';
import { afterEach, describe, expect, test } from 'vitest';
import { embeddedAuth } from '../../src/app/local.js';
import { classify, LmoClient, type LmoError } from '../../src/lma/client.js';
import { connectToLmo } from '../../src/lma/salesforce.js';
import { lmoFixture } from '../support/lmo-fixture.js';

let emulator: EmulatorHandle;
afterEach(async () => emulator?.close());

async function clientFor(
  options: { lmaInstalled?: boolean; historyTracked?: boolean } = {},
  tuning: Partial<ConstructorParameters<typeof LmoClient>[1]> = {},
) {
  emulator = await startEmulator({ data: lmoFixture(), ...options });
  const sleeps: number[] = [];
  const client = new LmoClient(
    async () => (await connectToLmo(embeddedAuth(emulator), { apiVersion: '62.0' })).connection,
    {
      apiVersion: '62.0',
      timeoutMs: 500,
      retries: 2,
      sleep: async (ms) => void sleeps.push(ms),
      ...tuning,
    },
  );
  return { client, sleeps };
}

/** A client of an LMO holding only `count` licenses (copies of the fixture's first), no retries: for paging. */
async function clientOverLicenses(count: number): Promise<LmoClient> {
  const data = lmoFixture();
  const template = data.sfLma__License__c[0];
  data.sfLma__License__c = Array.from({ length: count }, (_, i) => ({
    ...template,
    Id: `a0L${String(i + 100).padStart(12, '0')}AAA`,
  }));
  emulator = await startEmulator({ data });
  return new LmoClient(async () => (await connectToLmo(embeddedAuth(emulator), { apiVersion: '62.0' })).connection, {
    apiVersion: '62.0',
    timeoutMs: 2000,
    retries: 0,
  });
}

const failureOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    return error as LmoError;
  }
  throw new Error('expected a failure');
};

describe('retries', () => {
  test('a 503 is retried with doubling backoff, then answered', async () => {
    let calls = 0;
    const { client, sleeps } = await clientFor();
    emulator.setFaults({ unavailableRate: 0.5, random: () => (calls++ < 2 ? 0.1 : 0.9) });
    const page = await client.queryPage('SELECT Id FROM sfLma__Package__c');
    expect(page.totalSize).toBe(2);
    expect(sleeps).toEqual([150, 300]);
    expect(client.calls).toBe(3);
  });

  test('after the last retry, the LMO is reported unreachable', async () => {
    const { client } = await clientFor();
    emulator.setFaults({ unavailableRate: 1 });
    const error = await failureOf(client.queryPage('SELECT Id FROM sfLma__Package__c'));
    expect(error.kind).toBe('unreachable');
    expect(client.calls).toBe(3);
  });

  test('a hanging request times out and is retried', async () => {
    const { client } = await clientFor({}, { timeoutMs: 100, retries: 1 });
    emulator.setFaults({ hangRate: 1 });
    const error = await failureOf(client.queryPage('SELECT Id FROM sfLma__Package__c'));
    expect(error.kind).toBe('timeout');
    expect(client.calls).toBe(2);
  });

  test('REQUEST_LIMIT_EXCEEDED is not retried, and later calls wait out the cooldown without calling', async () => {
    const { client } = await clientFor();
    emulator.setFaults({ requestLimitExceeded: true });
    expect((await failureOf(client.queryPage('SELECT Id FROM sfLma__Package__c'))).kind).toBe('request_limit');
    expect((await failureOf(client.queryPage('SELECT Id FROM sfLma__Package__c'))).kind).toBe('request_limit');
    expect(client.calls).toBe(1);
  });
});

describe('error kinds', () => {
  test('an org without the LMA → not_installed; without history tracking → no_history; a bad query → query', async () => {
    const { client } = await clientFor({ lmaInstalled: false });
    expect((await failureOf(client.queryPage('SELECT Id FROM sfLma__License__c'))).kind).toBe('not_installed');
    await emulator.close();
    const second = await clientFor({ historyTracked: false });
    expect((await failureOf(second.client.queryPage('SELECT Id FROM sfLma__License__History'))).kind).toBe(
      'no_history',
    );
    expect((await failureOf(second.client.queryPage('SELECT Nope FROM sfLma__License__c'))).kind).toBe('query');
  });

  test('describe answers null for an object the org does not have', async () => {
    const { client } = await clientFor({ lmaInstalled: false });
    expect(await client.describe('sfLma__License__c')).toBeNull();
    expect((await client.describe('Account'))?.name).toBe('Account');
  });

  test('a sign-in that fails is retried on the next call (an LMO down at start-up recovers)', async () => {
    emulator = await startEmulator({ data: lmoFixture() });
    let attempts = 0;
    const client = new LmoClient(
      async () => {
        if (attempts++ === 0) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
        return (await connectToLmo(embeddedAuth(emulator), { apiVersion: '62.0' })).connection;
      },
      { apiVersion: '62.0', timeoutMs: 500, retries: 0 },
    );
    expect((await failureOf(client.queryPage('SELECT Id FROM Account'))).kind).toBe('unreachable');
    expect((await client.queryPage('SELECT Id FROM Account')).totalSize).toBe(5);
    expect(client.instanceUrl).toBe(emulator.url);
  });
});

describe('paging', () => {
  test('queryAll reads 5 pages of 2,000 a call: the locators chained by reference in one composite request', async () => {
    const client = await clientOverLicenses(10_500);
    const all = await client.queryAll('SELECT Id FROM sfLma__License__c');
    expect(all.records).toHaveLength(10_500);
    expect(new Set(all.records.map((r) => r.Id)).size).toBe(10_500);
    expect(all.totalSize).toBe(10_500);
    expect(all.done).toBe(true);
    // 6 pages: the first 5 in one call, the last in a second.
    expect(client.calls).toBe(2);
    // The second call's chained pages past the last fail with PROCESSING_HALTED, as Salesforce answers them.
    const composites = emulator.log.filter((e) => e.path === '/services/data/v62.0/composite');
    expect(composites.map((e) => e.subrequests?.map((sub) => sub.status))).toEqual([
      [200, 200, 200, 200, 200],
      [200, 400, 400, 400, 400],
    ]);
  });

  test('queryMorePages reads the pages after a locator, up to 5 a call, chained by reference; fewer where the query ends', async () => {
    const client = await clientOverLicenses(12_500);
    const first = await client.queryPage<{ Id: string }>('SELECT Id FROM sfLma__License__c ORDER BY Id');
    // 12,500 rows: the first page, then 5 pages of 2,000 in one call, then the last 500 of 3 pages asked.
    const five = await client.queryMorePages<{ Id: string }>(first.nextRecordsUrl!, 5);
    expect(five.pages.map((p) => p.length)).toEqual([2000, 2000, 2000, 2000, 2000]);
    expect(five).toMatchObject({ totalSize: 12_500, done: false });
    const last = await client.queryMorePages<{ Id: string }>(five.nextRecordsUrl!, 3);
    expect(last.pages.map((p) => p.length)).toEqual([500]);
    expect(last).toMatchObject({ totalSize: 12_500, done: true, nextRecordsUrl: undefined });
    const ids = [first.records, ...five.pages, ...last.pages].flat().map((r) => r.Id);
    // Every license once, in Id order (the fixture's Ids are numbered from 100).
    expect(ids).toEqual(Array.from({ length: 12_500 }, (_, i) => `a0L${String(i + 100).padStart(12, '0')}AAA`));
    expect(client.calls).toBe(3);
    const composites = emulator.log.filter((e) => e.path === '/services/data/v62.0/composite');
    expect(composites.map((e) => e.subrequests?.map((sub) => sub.status))).toEqual([
      [200, 200, 200, 200, 200],
      [200, 400, 400],
    ]);
    // Each call's first page is the locator given, the rest references to the page before.
    expect(composites.map((e) => e.subrequests?.[0].path)).toEqual([
      first.nextRecordsUrl!.split('?')[0],
      five.nextRecordsUrl!.split('?')[0],
    ]);
  });

  test('queryMorePages: a locator the LMO does not know fails as a query error; 0 or 6 pages are refused unsent', async () => {
    const { client } = await clientFor();
    const failure = await failureOf(client.queryMorePages('/services/data/v62.0/query/01gNOSUCHCURSOR-2000', 2));
    expect({ kind: failure.kind, code: failure.code }).toEqual({ kind: 'query', code: 'INVALID_QUERY_LOCATOR' });
    expect(client.calls).toBe(1);
    await expect(client.queryMorePages('/services/data/v62.0/query/01gX-2000', 0)).rejects.toThrow(RangeError);
    await expect(client.queryMorePages('/services/data/v62.0/query/01gX-2000', 6)).rejects.toThrow(RangeError);
    await expect(client.queryMorePages('/services/data/v62.0/query/01gX-2000', 2.5)).rejects.toThrow(RangeError);
    expect(client.calls).toBe(1);
  });
});

describe('queries together (one composite call)', () => {
  test('each query settles alone: a bad one rejects as a query error, the others answer; a first page keeps its locator', async () => {
    const { client } = await clientFor();
    const [packages, bad, history] = await client.queryTogether([
      { soql: 'SELECT Id FROM sfLma__Package__c' },
      { soql: 'SELECT Nope__c FROM sfLma__Package__c' },
      { soql: 'SELECT Id FROM sfLma__License__History' },
    ]);
    expect(packages.status === 'fulfilled' && packages.value.totalSize).toBe(2);
    expect(bad.status === 'rejected' && [bad.reason.kind, bad.reason.code]).toEqual(['query', 'INVALID_FIELD']);
    expect(history.status === 'fulfilled' && history.value.done).toBe(true);
    expect(client.calls).toBe(1);
  });

  test('a 503 on the composite request is retried as a whole, as any call is', async () => {
    let calls = 0;
    const { client, sleeps } = await clientFor();
    emulator.setFaults({ unavailableRate: 0.5, random: () => (calls++ < 1 ? 0.1 : 0.9) });
    const [packages] = await client.queryTogether([{ soql: 'SELECT Id FROM sfLma__Package__c' }]);
    expect(packages.status === 'fulfilled' && packages.value.totalSize).toBe(2);
    expect([sleeps, client.calls]).toEqual([[150], 2]);
  });

  test('no more pages are chained than maxRecords needs', async () => {
    const client = await clientOverLicenses(10_500);
    const some = await client.queryAll('SELECT Id FROM sfLma__License__c', 3_000);
    // Two pages reach 3,000: those two are asked for, in one call, and the read says it did not reach the end.
    expect([some.records.length, some.totalSize, some.done, client.calls]).toEqual([4_000, 10_500, false, 1]);
    const composite = emulator.log.filter((e) => e.path.endsWith('/composite'));
    expect(composite.map((e) => e.subrequests?.length)).toEqual([2]);
  });

  test('1 to 5 queries: more do not fit in one composite request', async () => {
    const { client } = await clientFor();
    const six = Array.from({ length: 6 }, () => ({ soql: 'SELECT Id FROM sfLma__Package__c' }));
    await expect(client.queryTogether(six)).rejects.toThrow('queryTogether takes 1 to 5 queries');
    await expect(client.queryTogether([])).rejects.toThrow(RangeError);
    expect(client.calls).toBe(0);
  });
});

describe('together: single pages asked for in one turn go in one composite call', () => {
  const PACKAGES = 'SELECT Id FROM sfLma__Package__c';
  const apiPaths = () => emulator.log.filter((e) => e.path.startsWith('/services/data/v')).map((e) => e.path);

  test('side by side in one call, 5 to a call, one alone as a plain query; each settles alone; outside, none gathered', async () => {
    const { client } = await clientFor();
    const results = await client.together(() =>
      Promise.allSettled([
        ...Array.from({ length: 6 }, () => client.queryPage(PACKAGES)),
        client.queryPage('SELECT Nope__c FROM sfLma__Package__c', { batchSize: 200 }),
      ]),
    );
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value.totalSize : r.reason.code))).toEqual([
      2,
      2,
      2,
      2,
      2,
      2,
      'INVALID_FIELD',
    ]);
    // Seven queries: 5 in one composite call, 2 in another.
    expect(apiPaths().filter((p) => p.endsWith('/composite'))).toHaveLength(2);
    expect(client.calls).toBe(2);
    // A later step of the same answer, alone: a plain query.
    await client.together(async () => {
      await client.queryPage(PACKAGES);
      await client.queryPage(PACKAGES);
    });
    expect(apiPaths().slice(-2)).toEqual(['/services/data/v62.0/query', '/services/data/v62.0/query']);
    // Outside `together`, queries go one a call as they are asked.
    await Promise.all([client.queryPage(PACKAGES), client.queryPage(PACKAGES)]);
    expect(client.calls).toBe(6);
  });
});

test('a renewed session the LMO refuses again is a sign-in failure (the admin checks the connected app), not a bad query', () => {
  const refused = new Error(
    'Unable to refresh session due to: The LMO refused the renewed session as well; check the connected app and the API user.',
  );
  expect(classify(refused).kind).toBe('auth');
  expect(classify(new Error('Unable to refresh session due to: something else')).kind).toBe('query');
});
