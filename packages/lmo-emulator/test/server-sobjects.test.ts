import { Connection } from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSchema } from '../src/schema.js';
import type { EmulatorHandle } from '../src/server.js';
import { startEmulator } from '../src/server.js';
import { FIXTURE_NOW, fixtureId, IDS, orgFixture } from './support/org-fixture.js';

const QUEUE_ID = fixtureId('00G', 1);
/** jsforce would retry 5xx itself; these tests look at single answers. */
const once = { retry: { maxRetries: 0 } } as object;

describe('records beyond a plain query: the recycle bin, collections, queues', () => {
  let handle: EmulatorHandle;
  let conn: Connection;
  let now = FIXTURE_NOW;

  beforeAll(async () => {
    const data = orgFixture();
    data.Group = [{ Id: QUEUE_ID, Name: 'Trial Leads Queue', DeveloperName: 'Trial_Leads', Type: 'Queue' }];
    data.Lead[1].OwnerId = QUEUE_ID;
    // An export made with queryAll: a deleted account rides along.
    data.Account.push({ Id: fixtureId('001', 9), Name: 'Gone Corp', IsDeleted: true, OwnerId: IDS.owner });
    handle = await startEmulator({ data, clock: () => now });
    conn = new Connection({ instanceUrl: handle.url, accessToken: handle.accessToken, version: '62.0' });
  });
  afterAll(() => handle.close());

  it('keeps a deleted record for queryAll, IsDeleted = true and stamped with the deletion; query no longer sees it', async () => {
    const { id } = (await conn.sobject('Account').create({ Name: 'Short Lived' })) as { id: string };
    now = new Date(FIXTURE_NOW.getTime() + 60_000);
    await conn.sobject('Account').destroy(id);
    const soql = 'SELECT Id, Name, IsDeleted, SystemModstamp FROM Account ORDER BY Name';
    expect((await conn.query(soql)).records.map((r) => r.Name)).toEqual(['Acme Corp', 'Globex']);
    const all = await conn.query<{ Name: string; IsDeleted: boolean; SystemModstamp: string }>(soql, { scanAll: true });
    expect(all.records.map((r) => [r.Name, r.IsDeleted])).toEqual([
      ['Acme Corp', false],
      ['Globex', false],
      ['Gone Corp', true],
      ['Short Lived', true],
    ]);
    expect(all.records.find((r) => r.Name === 'Short Lived')?.SystemModstamp).toBe('2026-03-15T12:01:00.000+0000');
    const deletedOnly = await conn.query('SELECT Name FROM Account WHERE IsDeleted = true ORDER BY Name', {
      scanAll: true,
    });
    expect(deletedOnly.records.map((r) => r.Name)).toEqual(['Gone Corp', 'Short Lived']);
    expect(handle.log.at(-1)).toMatchObject({ path: '/services/data/v62.0/queryAll', status: 200 });
  });

  it("answers GET /sobjects/<Type> with the object's basic information", async () => {
    const info = await conn.request<{ objectDescribe: Record<string, unknown>; recentItems: unknown[] }>(
      '/sobjects/sfLma__License__c',
    );
    expect(info.objectDescribe).toMatchObject({ name: 'sfLma__License__c', custom: true, queryable: true });
    expect(info.recentItems).toEqual([]);
    await expect(conn.request('/sobjects/NoSuchObject__c', once)).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });
  });

  it("retrieves several records in one call (jsforce's retrieve([ids])), in order, null for an Id not of the type", async () => {
    const before = handle.log.length;
    const records = await conn
      .sobject('sfLma__License__c')
      .retrieve([IDS.license(2), IDS.accountAcme, IDS.license(1)], { fields: ['Name', 'sfLma__Status__c'] });
    expect(records).toEqual([
      expect.objectContaining({
        Name: 'L-00002',
        attributes: expect.objectContaining({ type: 'sfLma__License__c' }),
      }),
      null,
      expect.objectContaining({ Name: 'L-00001' }),
    ]);
    expect(handle.log.slice(before).map((e) => `${e.method} ${e.path}`)).toEqual([
      'POST /services/data/v62.0/composite/sobjects/sfLma__License__c',
    ]);
    const viaGet = await conn.request<{ Name: string }[]>(
      `/composite/sobjects/sfLma__License__c?ids=${IDS.license(1)}&fields=Name`,
    );
    expect(viaGet.map((r) => r.Name)).toEqual(['L-00001']);
  });

  it('refuses a collection retrieve with an unknown field, without fields, or of more than 2,000 Ids', async () => {
    const licenses = conn.sobject('sfLma__License__c');
    await expect(licenses.retrieve([IDS.license(1)], { fields: ['Colour__c'] })).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD',
      message: "No such column 'Colour__c' on sobject of type sfLma__License__c",
    });
    await expect(
      conn.request(
        {
          method: 'POST',
          url: '/composite/sobjects/sfLma__License__c',
          body: JSON.stringify({ ids: [IDS.license(1)] }),
        },
        once,
      ),
    ).rejects.toMatchObject({ errorCode: 'MISSING_ARGUMENT' });
    const ids = Array.from({ length: 2001 }, (_, i) => fixtureId('a0L', i + 1));
    await expect(licenses.retrieve(ids, { fields: ['Name'] })).rejects.toMatchObject({
      errorCode: 'EXCEEDED_ID_LIMIT',
    });
  });

  it('gives every object but field history SystemModstamp and LastModifiedDate, filled from its last change', async () => {
    const objects = Object.keys(buildSchema({ lmaInstalled: true })).filter((name) => !name.endsWith('History'));
    for (const name of objects) {
      const { records } = await conn.query<{ SystemModstamp: string | null; LastModifiedDate: string | null }>(
        `SELECT Id, SystemModstamp, LastModifiedDate FROM ${name}`,
      );
      for (const record of records) {
        expect(record.SystemModstamp, name).toMatch(/^\d{4}-\d\d-\d\dT/);
        expect(record.SystemModstamp, name).toBe(record.LastModifiedDate);
      }
    }
    await expect(conn.query('SELECT SystemModstamp FROM sfLma__License__History')).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD',
    });
  });

  it("names a queue owner (a Group) as Salesforce does: Owner typed Name, its url the Group's", async () => {
    const { records } = await conn.query<{
      Company: string;
      Owner: { attributes: { type: string; url: string }; Name: string };
    }>('SELECT Company, Owner.Name FROM Lead ORDER BY Company');
    expect(records.map((r) => [r.Company, r.Owner.Name, r.Owner.attributes.type])).toEqual([
      ['Initech', 'Olivia Owner', 'Name'],
      ['Umbrella', 'Trial Leads Queue', 'Name'],
    ]);
    expect(records[1].Owner.attributes.url).toBe(`/services/data/v62.0/sobjects/Group/${QUEUE_ID}`);
    const queued = await conn.query(`SELECT Company FROM Lead WHERE Owner.Name = 'Trial Leads Queue'`);
    expect(queued.records.map((r) => r.Company)).toEqual(['Umbrella']);
  });

  it('lets leads and custom objects be owned by a queue, never accounts, and describes which owner may be', async () => {
    const ownerOf = async (type: string) =>
      (await conn.describe(type)).fields.find((f) => f.name === 'OwnerId') as unknown as {
        referenceTo: string[];
        polymorphicForeignKey: boolean;
      };
    expect(await ownerOf('Lead')).toMatchObject({ referenceTo: ['Group', 'User'], polymorphicForeignKey: true });
    expect(await ownerOf('sfLma__License__c')).toMatchObject({ referenceTo: ['Group', 'User'] });
    expect(await ownerOf('Account')).toMatchObject({ referenceTo: ['User'], polymorphicForeignKey: false });
    await conn.sobject('Lead').update({ Id: IDS.leadInitech, OwnerId: QUEUE_ID });
    await expect(conn.sobject('Account').update({ Id: IDS.accountAcme, OwnerId: QUEUE_ID })).rejects.toMatchObject({
      errorCode: 'INVALID_CROSS_REFERENCE_KEY',
    });
  });
});
