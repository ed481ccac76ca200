import { Connection } from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmulatorHandle } from '../src/server.js';
import { startEmulator } from '../src/server.js';
import { FIXTURE_NOW, IDS, orgFixture, orgFixtureWithLicenses } from './support/org-fixture.js';

const sessionConnection = (handle: EmulatorHandle, accessToken = handle.accessToken) =>
  new Connection({ instanceUrl: handle.url, accessToken, version: handle.apiVersion });

/** jsforce would retry 5xx itself; these tests look at single answers. */
const once = { retry: { maxRetries: 0 } } as object;

/** The License fields of the LMA that issue 11 lists, all of which real orgs carry. */
const LMA_LICENSE_FIELDS = [
  'sfLma__Account__c',
  'sfLma__Contact__c',
  'sfLma__Lead__c',
  'sfLma__Expiration__c',
  'sfLma__Expiration_Date__c',
  'sfLma__Install_Date__c',
  'sfLma__Instance__c',
  'sfLma__Is_Sandbox__c',
  'sfLma__Last_Modified__c',
  'sfLma__License_Status__c',
  'sfLma__License_Type__c',
  'sfLma__Licensed_Seats__c',
  'sfLma__Org_Edition__c',
  'sfLma__Org_Expiration_Date__c',
  'sfLma__Org_Instance__c',
  'sfLma__Org_Status__c',
  'sfLma__Org_Status_Formula__c',
  'sfLma__Org_Trial_Expiration__c',
  'sfLma__Org_Type__c',
  'sfLma__Package__c',
  'sfLma__Package_License_ID__c',
  'sfLma__Package_Version__c',
  'sfLma__Package_Version_Number__c',
  'sfLma__Proxy_User__c',
  'sfLma__Seats__c',
  'sfLma__Status__c',
  'sfLma__Subscriber_Org_ID__c',
  'sfLma__Subscriber_Org_Is_Sandbox__c',
  'sfLma__Trial_Expiration_Date__c',
  'sfLma__Used_Licenses__c',
  'sfLma__Version__c',
  'sfLma__Version_Number__c',
  'OwnerId',
  'IsDeleted',
  'SystemModstamp',
  'CreatedById',
  'LastModifiedById',
  'LastActivityDate',
];

describe("the API user's time zone (--timezone)", () => {
  it("is the identity's timezone, with its offset from UTC now in milliseconds", async () => {
    // 2026-03-15 is after the switch to daylight time in Los Angeles (8 March): UTC-7.
    const handle = await startEmulator({
      data: orgFixture(),
      clock: () => FIXTURE_NOW,
      timezone: 'America/Los_Angeles',
    });
    try {
      const identity = await sessionConnection(handle).identity();
      expect(identity).toMatchObject({
        user_id: handle.userId,
        timezone: 'America/Los_Angeles',
        utcOffset: -25_200_000,
      });
    } finally {
      await handle.close();
    }
  });
});

describe('the embedded LMO REST API, through jsforce', () => {
  let handle: EmulatorHandle;
  let conn: Connection;

  beforeAll(async () => {
    handle = await startEmulator({ data: orgFixtureWithLicenses(4500), clock: () => FIXTURE_NOW });
    conn = sessionConnection(handle);
  });
  afterAll(() => handle.close());

  it('lists the API versions up to its own, without counting an API call', async () => {
    const before = handle.apiCallCount();
    const versions = await conn.request<{ version: string; url: string; label: string }[]>('/services/data/');
    expect(versions.at(-1)).toEqual({ label: "Winter '25", url: '/services/data/v62.0', version: '62.0' });
    expect(versions.map((v) => v.version)).toContain('60.0');
    expect(versions[0]).toEqual({ label: "Summer '14", url: '/services/data/v31.0', version: '31.0' });
    expect(versions).toHaveLength(62 - 31 + 1);
    expect(handle.apiCallCount()).toBe(before);
  });

  it('answers a retired version (30.0 and older) 410 GONE, and one it never had 404', async () => {
    await expect(conn.request('/services/data/v30.0/limits', once)).rejects.toMatchObject({ errorCode: 'GONE' });
    expect(handle.log.at(-1)).toMatchObject({ path: '/services/data/v30.0/limits', status: 410 });
    await expect(conn.request('/services/data/v7.0/', once)).rejects.toMatchObject({ errorCode: 'GONE' });
    await expect(conn.request('/services/data/v6.0/', once)).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });
    await expect(conn.request('/services/data/v63.0/', once)).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });
  });

  it("reads the Organization's edition, instance, sandbox, namespace and trial fields", async () => {
    const org = await conn.query(
      'SELECT Id, Name, OrganizationType, InstanceName, IsSandbox, NamespacePrefix, TrialExpirationDate FROM Organization',
    );
    expect(org.records[0]).toMatchObject({
      Id: IDS.org,
      OrganizationType: 'Enterprise Edition',
      InstanceName: 'NA1',
      IsSandbox: false,
      NamespacePrefix: null,
      TrialExpirationDate: null,
    });
  });

  it('answers a query in Salesforce shape and logs its decoded SOQL', async () => {
    const soql = "SELECT Id, Name FROM sfLma__License__c WHERE sfLma__Status__c = 'Suspended'";
    const result = await conn.query<{ Id: string; Name: string }>(soql);
    expect(result.done).toBe(true);
    expect(result.totalSize).toBe(1);
    expect(result.records[0]).toMatchObject({ Id: IDS.license(5), Name: 'L-00005' });
    expect(result.records[0]).toHaveProperty('attributes.type', 'sfLma__License__c');
    expect(handle.log.at(-1)).toMatchObject({ method: 'GET', path: '/services/data/v62.0/query', soql, status: 200 });
  });

  it('logs, once a call is answered, the process CPU time its serving took beside its duration', async () => {
    await conn.query("SELECT Id FROM sfLma__License__c WHERE sfLma__Status__c = 'Active'");
    const entry = handle.log.at(-1);
    expect(entry?.cpuMs).toBeGreaterThanOrEqual(0);
    expect(entry?.servedMs).toBeGreaterThanOrEqual(0);
  });

  it('pages a large result at 2,000 records, one logged request per page, and autoFetch reads them all', async () => {
    const start = handle.log.length;
    const result = await conn
      .query<{ Id: string }>("SELECT Id FROM sfLma__License__c WHERE sfLma__Status__c = 'Trial'")
      .run({ autoFetch: true, maxFetch: 10_000 });
    expect(result.totalSize).toBe(4502);
    expect(result.records).toHaveLength(4502);
    expect(new Set(result.records.map((r) => r.Id)).size).toBe(4502);
    const pages = handle.log.slice(start);
    expect(pages.map((e) => e.path)).toEqual([
      '/services/data/v62.0/query',
      expect.stringMatching(/^\/services\/data\/v62\.0\/query\/01g\w+-2000$/),
      expect.stringMatching(/^\/services\/data\/v62\.0\/query\/01g\w+-4000$/),
    ]);
  });

  it('returns done: false with a nextRecordsUrl that queryMore follows', async () => {
    const first = await conn.query("SELECT Id FROM sfLma__License__c WHERE sfLma__Status__c = 'Trial'");
    expect(first).toMatchObject({ done: false, totalSize: 4502 });
    expect(first.records).toHaveLength(2000);
    const second = await conn.queryMore(first.nextRecordsUrl as string);
    expect(second.records).toHaveLength(2000);
    expect(second.done).toBe(false);
  });

  it('respects the Sforce-Query-Options batch size, clamped to 200..2000', async () => {
    const soql = 'SELECT Id FROM sfLma__License__c';
    const small = await conn.query(soql, { headers: { 'Sforce-Query-Options': 'batchSize=500' } });
    expect(small.records).toHaveLength(500);
    const tiny = await conn.query(soql, { headers: { 'Sforce-Query-Options': 'batchSize=10' } });
    expect(tiny.records).toHaveLength(200);
  });

  it('answers an unknown query locator with INVALID_QUERY_LOCATOR', async () => {
    await expect(conn.queryMore('01gNOSUCHCURSOR-2000')).rejects.toMatchObject({
      errorCode: 'INVALID_QUERY_LOCATOR',
    });
  });

  it('serves queryAll like query', async () => {
    const result = await conn.query('SELECT COUNT() FROM sfLma__Package__c', { scanAll: true });
    expect(result.totalSize).toBe(2);
    expect(handle.log.at(-1)?.path).toBe('/services/data/v62.0/queryAll');
  });

  it('describes the org and each object from the schema', async () => {
    const global = await conn.describeGlobal();
    expect(global.sobjects.map((s) => s.name)).toEqual(
      expect.arrayContaining(['sfLma__License__c', 'Lead', 'Account']),
    );

    const license = await conn.describe('sfLma__License__c');
    expect(license).toMatchObject({ name: 'sfLma__License__c', label: 'License', keyPrefix: 'a0L', queryable: true });
    const byName = new Map(license.fields.map((f) => [f.name, f]));
    expect(byName.get('sfLma__Status__c')).toMatchObject({
      type: 'picklist',
      calculated: false,
      picklistValues: [
        { value: 'Trial', label: 'Trial', active: true },
        { value: 'Active', label: 'Active', active: true },
        { value: 'Suspended', label: 'Suspended', active: true },
        { value: 'Uninstalled', label: 'Uninstalled', active: true },
      ],
    });
    expect(byName.get('sfLma__Account__c')).toMatchObject({
      type: 'reference',
      relationshipName: 'sfLma__Account__r',
      referenceTo: ['Account'],
      nillable: true,
    });
    expect(byName.get('sfLma__Licensed_Seats__c')).toMatchObject({ type: 'string', calculated: true });
    expect(byName.get('sfLma__Subscriber_Org_ID__c')).toMatchObject({ length: 18 });
    // Every LMA field of a real org, with the properties its describe gives.
    for (const name of LMA_LICENSE_FIELDS) expect(byName.has(name), name).toBe(true);
    expect(byName.get('sfLma__Status__c')).toMatchObject({
      restrictedPicklist: true,
      updateable: true,
      soapType: 'xsd:string',
    });
    expect(byName.get('sfLma__Seats__c')).toMatchObject({
      type: 'double',
      precision: 8,
      scale: 0,
      soapType: 'xsd:double',
    });
    expect(byName.get('sfLma__Org_Status_Formula__c')).toMatchObject({
      calculated: true,
      updateable: false,
      createable: false,
    });
    expect(byName.get('sfLma__Is_Sandbox__c')).toMatchObject({ type: 'boolean', calculated: true, nillable: false });
    expect(byName.get('Name')).toMatchObject({ autoNumber: true, updateable: false, nameField: true });
    // A license may be owned by a queue (a Group) or a user.
    expect(byName.get('OwnerId')).toMatchObject({
      referenceTo: ['Group', 'User'],
      relationshipName: 'Owner',
      updateable: true,
      polymorphicForeignKey: true,
    });
    for (const name of ['IsDeleted', 'SystemModstamp', 'CreatedById', 'LastModifiedById', 'LastActivityDate']) {
      expect(byName.get(name), name).toMatchObject({ updateable: false, createable: false, custom: false });
    }
    const version = new Map((await conn.describe('sfLma__Package_Version__c')).fields.map((f) => [f.name, f]));
    expect(version.has('OwnerId')).toBe(false); // a master-detail child has no owner
    expect(version.get('sfLma__Package__c')).toMatchObject({ nillable: false, relationshipOrder: 0 });
    const lead = new Map((await conn.describe('Lead')).fields.map((f) => [f.name, f]));
    for (const name of ['Status', 'LeadSource', 'Country', 'IsConverted', 'ConvertedAccountId', 'ConvertedDate']) {
      expect(lead.has(name), name).toBe(true);
    }
    const account = new Map((await conn.describe('Account')).fields.map((f) => [f.name, f]));
    for (const name of ['Type', 'Industry', 'BillingCountry', 'Phone', 'Website'])
      expect(account.has(name), name).toBe(true);
    const user = new Map((await conn.describe('User')).fields.map((f) => [f.name, f]));
    for (const name of ['Email', 'Username', 'TimeZoneSidKey', 'IsActive']) expect(user.has(name), name).toBe(true);
    expect(user.has('IsDeleted')).toBe(false);
    expect(license.childRelationships).toContainEqual(
      expect.objectContaining({
        relationshipName: 'Histories',
        childSObject: 'sfLma__License__History',
        field: 'ParentId',
      }),
    );
  });

  it('returns a record with every field, formulas computed, and only the fields asked for', async () => {
    const record = await conn.sobject('sfLma__License__c').retrieve(IDS.license(2));
    expect(record).toMatchObject({
      attributes: {
        type: 'sfLma__License__c',
        url: `/services/data/v62.0/sobjects/sfLma__License__c/${IDS.license(2)}`,
      },
      Id: IDS.license(2),
      sfLma__Seats__c: -1,
      sfLma__Licensed_Seats__c: 'Site License',
      sfLma__Expiration_Date__c: 'Does not expire',
      sfLma__Lead__c: null,
    });
    const some = await conn
      .sobject('sfLma__License__c')
      .retrieve(IDS.license(2), { fields: ['Name', 'sfLma__Status__c'] });
    expect(Object.keys(some)).toEqual(['attributes', 'Name', 'sfLma__Status__c']);
  });

  it('counts the API calls it served in limits, and reports usage in Sforce-Limit-Info', async () => {
    const limits = await conn.limits();
    expect(limits.DailyApiRequests).toEqual({ Max: 15000, Remaining: 15000 - handle.apiCallCount() });
    const used = handle.apiCallCount();
    await conn.query('SELECT Id FROM Account');
    expect(handle.apiCallCount()).toBe(used + 1);
    expect(conn.limitInfo.apiUsage).toEqual({ used: used + 1, limit: 15000 });
    expect((await conn.limits()).DailyApiRequests.Remaining).toBe(15000 - (used + 2));
  });

  it('reports the common org limits beside DailyApiRequests, each with Max and Remaining', async () => {
    const limits = await conn.limits();
    for (const name of ['DailyBulkApiBatches', 'DailyAsyncApexExecutions', 'DataStorageMB', 'FileStorageMB']) {
      expect(limits[name as keyof typeof limits]).toEqual({ Max: expect.any(Number), Remaining: expect.any(Number) });
    }
    expect(Object.keys(limits).length).toBeGreaterThan(20);
  });

  it('gives the identity of the API user', async () => {
    const identity = await conn.identity();
    expect(identity).toMatchObject({
      organization_id: handle.orgId,
      user_id: handle.userId,
      username: handle.credentials.username,
    });
    expect(handle.orgId).toBe(IDS.org);
    const user = await conn.query(`SELECT Username, IsActive FROM User WHERE Id = '${handle.userId}'`);
    expect(user.records[0]).toMatchObject({ Username: handle.credentials.username, IsActive: true });
  });

  it('gives the identity of any User of the org, and 404 for an Id that is not a User', async () => {
    const identity = (id: string) => conn.request(`${handle.url}/id/${handle.orgId}/${id}`, once);
    await expect(identity(IDS.owner)).resolves.toMatchObject({
      user_id: IDS.owner,
      username: 'olivia@isv.example.com',
    });
    await expect(identity(IDS.accountAcme)).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });
  });

  it("answers userinfo for the token's User, and 403 Bad_OAuth_Token without one", async () => {
    await expect(conn.request(`${handle.url}/services/oauth2/userinfo`)).resolves.toMatchObject({
      sub: `${handle.url}/id/${handle.orgId}/${handle.userId}`,
      user_id: handle.userId,
      organization_id: handle.orgId,
      preferred_username: handle.credentials.username,
      zoneinfo: 'UTC',
      utcOffset: 0,
    });
    const response = await fetch(`${handle.url}/services/oauth2/userinfo`);
    expect([response.status, await response.text()]).toEqual([403, 'Bad_OAuth_Token']);
  });

  describe('answers errors in Salesforce shape', () => {
    it.each([
      ['MALFORMED_QUERY', 'SELECT FROM WHERE'],
      ['INVALID_FIELD', 'SELECT NoSuchField__c FROM sfLma__License__c'],
      ['INVALID_TYPE', 'SELECT Id FROM NoSuchObject__c'],
      ['EMULATOR_UNSUPPORTED', 'SELECT Id FROM sfLma__License__c WITH SECURITY_ENFORCED'],
    ])('%s with status 400', async (errorCode, soql) => {
      await expect(conn.query(soql)).rejects.toMatchObject({ errorCode });
      expect(handle.log.at(-1)).toMatchObject({ status: 400, soql });
    });

    it('MALFORMED_QUERY for a query request without q', async () => {
      await expect(conn.request('/query')).rejects.toMatchObject({ errorCode: 'MALFORMED_QUERY' });
    });

    it('NOT_FOUND for an unknown record, an Id of another object, and an unknown object', async () => {
      const notFound = { errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' };
      await expect(conn.sobject('sfLma__License__c').retrieve('a0L000000000999AAA')).rejects.toMatchObject(notFound);
      await expect(conn.sobject('Account').retrieve(IDS.license(1))).rejects.toMatchObject(notFound);
      await expect(conn.describe('NoSuchObject__c')).rejects.toMatchObject(notFound);
      expect(handle.log.at(-1)?.status).toBe(404);
    });

    it('NOT_FOUND for a malformed path escape, and keeps serving', async () => {
      await expect(conn.request('/sobjects/%E0%A4%A/describe')).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });
      // The identity service sits outside /services/data: a full URL reaches it.
      await expect(conn.request(`${handle.url}/id/%E0%A4%A/x`)).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });
      expect(handle.log.at(-1)).toMatchObject({ path: '/id/%E0%A4%A/x', status: 404 });
      await expect(conn.limits()).resolves.toBeDefined();
    });

    it('NOT_FOUND for an API version newer than the org', async () => {
      await expect(conn.request('/services/data/v99.0/limits')).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });
    });

    it('INVALID_SESSION_ID for a missing or unknown token, without counting a call', async () => {
      const used = handle.apiCallCount();
      await expect(sessionConnection(handle, 'not-a-token').query('SELECT Id FROM Account')).rejects.toMatchObject({
        errorCode: 'INVALID_SESSION_ID',
        message: 'Session expired or invalid',
      });
      expect(handle.log.at(-1)?.status).toBe(401);
      expect(handle.apiCallCount()).toBe(used);
    });

    it('METHOD_NOT_ALLOWED for a write', async () => {
      await expect(conn.request({ method: 'DELETE', url: '/services/data/' }, once)).rejects.toMatchObject({
        errorCode: 'METHOD_NOT_ALLOWED',
      });
    });
  });
});

describe('an org without the License Management App', () => {
  let handle: EmulatorHandle;
  beforeAll(async () => {
    handle = await startEmulator({ data: orgFixture(), lmaInstalled: false });
  });
  afterAll(() => handle.close());

  it('answers queries on sfLma objects with INVALID_TYPE, as a real org does', async () => {
    const conn = sessionConnection(handle);
    await expect(conn.query('SELECT Id FROM sfLma__License__c')).rejects.toMatchObject({ errorCode: 'INVALID_TYPE' });
    await expect(conn.describe('sfLma__License__c')).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });
    const global = await conn.describeGlobal();
    expect(global.sobjects.some((s) => s.name.startsWith('sfLma__'))).toBe(false);
    const accounts = await conn.query('SELECT Name FROM Account ORDER BY Name');
    expect(accounts.records.map((r) => r.Name)).toEqual(['Acme Corp', 'Globex']);
  });
});

describe('an org served from an export that holds no Organization record', () => {
  it('still has its one Organization, with the org id it reports', async () => {
    const handle = await startEmulator({ data: { sfLma__License__c: [] }, clock: () => FIXTURE_NOW });
    try {
      const { records } = await sessionConnection(handle).query<{ Id: string; Name: string }>(
        'SELECT Id, Name FROM Organization LIMIT 1',
      );
      expect(records).toEqual([expect.objectContaining({ Id: handle.orgId, Name: 'Embedded LMO' })]);
    } finally {
      await handle.close();
    }
  });
});

describe('request log limit', () => {
  it('keeps between logLimit and twice it of the newest entries, however many requests were served', async () => {
    const limited = await startEmulator({ data: orgFixture(), clock: () => FIXTURE_NOW, logLimit: 50 });
    try {
      const lengths: number[] = [];
      for (let round = 0; round < 3; round++) {
        for (let i = 0; i < 150; i++) await fetch(`${limited.url}/services/data/v62.0/sobjects?round=${round}&i=${i}`);
        lengths.push(limited.log.length);
      }
      expect(lengths.every((n) => n >= 50 && n < 100)).toBe(true);
      expect(lengths).toEqual([lengths[0], lengths[0], lengths[0]]);
      expect(limited.log.at(-1)?.path).toBe('/services/data/v62.0/sobjects');
    } finally {
      await limited.close();
    }
  });
});
