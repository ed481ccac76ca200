import { Connection } from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmulatorHandle } from '../src/server.js';
import { startEmulator } from '../src/server.js';
import { IDS, orgFixture } from './support/org-fixture.js';

/** jsforce would retry 5xx itself; these tests look at single answers. */
const once = { retry: { maxRetries: 0 } } as object;

interface License {
  Id: string;
  Name: string;
  sfLma__Status__c: string;
  sfLma__Seats__c: number;
  SystemModstamp: string;
  LastModifiedDate: string;
  CreatedDate: string;
}

interface HistoryRow {
  Field: string;
  OldValue: unknown;
  NewValue: unknown;
  DataType: string;
  CreatedDate: string;
}

describe('record writes through jsforce', () => {
  let handle: EmulatorHandle;
  let conn: Connection;
  let now = new Date('2026-03-15T12:00:00.000Z');

  beforeAll(async () => {
    handle = await startEmulator({ data: orgFixture(), clock: () => now });
    conn = new Connection({ instanceUrl: handle.url, accessToken: handle.accessToken, version: handle.apiVersion });
  });
  afterAll(() => handle.close());

  const license = async (id: string) =>
    (
      await conn.query<License>(
        `SELECT Id, Name, sfLma__Status__c, sfLma__Seats__c, SystemModstamp, LastModifiedDate, CreatedDate FROM sfLma__License__c WHERE Id = '${id}'`,
      )
    ).records[0];
  const history = async (id: string) =>
    (
      await conn.query<HistoryRow>(
        `SELECT Field, OldValue, NewValue, DataType, CreatedDate FROM sfLma__License__History WHERE ParentId = '${id}' ORDER BY CreatedDate`,
      )
    ).records;

  it('creates a license with an id, a name, audit fields and its created history row', async () => {
    const result = await conn.sobject('sfLma__License__c').create({
      sfLma__Status__c: 'Trial',
      sfLma__Seats__c: 5,
      sfLma__Package__c: IDS.packageInvoices,
      sfLma__Lead__c: IDS.leadInitech,
      sfLma__Expiration__c: '2026-04-14',
    });
    expect(result).toMatchObject({ success: true });
    const id = (result as { id: string }).id;
    expect(id).toMatch(/^a0L[a-zA-Z0-9]{15}$/);
    const created = await license(id);
    expect(created).toMatchObject({
      Name: 'L-00007',
      sfLma__Status__c: 'Trial',
      SystemModstamp: '2026-03-15T12:00:00.000+0000',
      CreatedDate: '2026-03-15T12:00:00.000+0000',
    });
    expect(await history(id)).toEqual([expect.objectContaining({ Field: 'created', OldValue: null, NewValue: null })]);
  });

  it('updates fields, moves LastModifiedDate and SystemModstamp and writes a history row per tracked field', async () => {
    now = new Date('2026-03-15T13:30:00.000Z');
    const id = IDS.license(3);
    const result = await conn
      .sobject('sfLma__License__c')
      .update({ Id: id, sfLma__Status__c: 'Active', sfLma__Seats__c: 25, sfLma__License_Type__c: 'Editable' });
    expect(result).toMatchObject({ id, success: true });
    const updated = await license(id);
    expect(updated).toMatchObject({
      sfLma__Status__c: 'Active',
      sfLma__Seats__c: 25,
      LastModifiedDate: '2026-03-15T13:30:00.000+0000',
      SystemModstamp: '2026-03-15T13:30:00.000+0000',
    });
    // License Type is not tracked: no row for it.
    expect(await history(id)).toEqual([
      {
        attributes: expect.anything(),
        Field: 'sfLma__Status__c',
        OldValue: 'Trial',
        NewValue: 'Active',
        DataType: 'DynamicEnum',
        CreatedDate: '2026-03-15T13:30:00.000+0000',
      },
      {
        attributes: expect.anything(),
        Field: 'sfLma__Seats__c',
        OldValue: 10,
        NewValue: 25,
        DataType: 'Double',
        CreatedDate: '2026-03-15T13:30:00.000+0000',
      },
    ]);
  });

  it('an update to the same value writes no history but still stamps the record', async () => {
    now = new Date('2026-03-15T14:00:00.000Z');
    const id = IDS.license(1);
    await conn.sobject('sfLma__License__c').update({ Id: id, sfLma__Status__c: 'Active' });
    expect((await license(id)).SystemModstamp).toBe('2026-03-15T14:00:00.000+0000');
    expect((await history(id)).map((h) => h.Field)).toEqual(['sfLma__Status__c']); // the fixture's one row only
  });

  it('refuses what Salesforce refuses, with its error codes', async () => {
    const licenses = conn.sobject('sfLma__License__c');
    const refused = async (write: Promise<unknown>) => {
      const error = (await write.then(
        () => undefined,
        (e: unknown) => e,
      )) as { errorCode?: string; message?: string } | undefined;
      return error && { errorCode: error.errorCode, message: error.message };
    };
    expect(await refused(licenses.update({ Id: IDS.license(1), sfLma__Status__c: 'Paused' }, once))).toEqual({
      errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      message: 'Status: bad value for restricted picklist field: Paused',
    });
    expect(await refused(licenses.update({ Id: IDS.license(1), Nonsense__c: 1 }, once))).toMatchObject({
      errorCode: 'INVALID_FIELD',
    });
    expect(
      await refused(licenses.update({ Id: IDS.license(1), SystemModstamp: '2020-01-01T00:00:00Z' }, once)),
    ).toMatchObject({
      errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
    });
    expect(await refused(licenses.update({ Id: IDS.license(1), sfLma__Account__c: 'not-an-id' }, once))).toMatchObject({
      errorCode: 'MALFORMED_ID',
    });
    expect(
      await refused(licenses.update({ Id: IDS.license(1), sfLma__Account__c: IDS.leadInitech }, once)),
    ).toMatchObject({
      errorCode: 'INVALID_CROSS_REFERENCE_KEY',
    });
    expect(await refused(licenses.update({ Id: IDS.license(99), sfLma__Seats__c: 1 }, once))).toMatchObject({
      errorCode: 'NOT_FOUND',
    });
    expect(await refused(conn.sobject('Account').create({ Phone: '1' }, once))).toEqual({
      errorCode: 'REQUIRED_FIELD_MISSING',
      message: 'Required fields are missing: [Name]',
    });
    expect(
      await refused(conn.sobject('sfLma__License__History').create({ ParentId: IDS.license(1) }, once)),
    ).toMatchObject({ errorCode: 'INVALID_TYPE_FOR_OPERATION' });
  });

  it('deletes a license and its history', async () => {
    const id = IDS.license(1);
    expect(await conn.sobject('sfLma__License__c').destroy(id)).toMatchObject({ id, success: true });
    expect(await license(id)).toBeUndefined();
    expect(await history(id)).toEqual([]);
    const again = await conn
      .sobject('sfLma__License__c')
      .destroy(id, once)
      .catch((e: { errorCode?: string }) => e.errorCode);
    expect(again).toBe('NOT_FOUND');
  });

  it('counts writes as API calls, as DailyApiRequests does', async () => {
    const before = handle.apiCallCount();
    await conn.sobject('Account').create({ Name: 'Initrode' });
    expect(handle.apiCallCount()).toBe(before + 1);
  });
});
