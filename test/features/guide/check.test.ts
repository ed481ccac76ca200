import { describe, expect, test } from 'vitest';
import { checkOrg } from '../../../src/features/guide/check.js';
import { type LmoClient, LmoError } from '../../../src/lma/client.js';
import { LmoService } from '../../../src/lma/service.js';

function fakeService(o: { describe?: () => Promise<unknown>; counts?: Record<string, number>; queryError?: unknown }) {
  const soql: string[] = [];
  const client = {
    describe: async () => (o.describe ? o.describe() : { name: 'sfLma__License__c', fields: [] }),
    queryPage: async (q: string) => {
      soql.push(q);
      if (o.queryError) throw o.queryError;
      const object = /FROM (\w+)/.exec(q)?.[1] ?? '';
      return { totalSize: o.counts?.[object] ?? 0, done: true, records: [] };
    },
  } as unknown as LmoClient;
  return { soql, service: new LmoService({ client, timezone: 'UTC' }) };
}

describe('the org check', () => {
  test('counts packages and licenses when the License object exists', async () => {
    const { service, soql } = fakeService({ counts: { sfLma__Package__c: 2, sfLma__License__c: 40 } });
    expect(await checkOrg(service)).toEqual({ kind: 'installed', packages: 2, licenses: 40 });
    expect(soql.sort()).toEqual(['SELECT COUNT() FROM sfLma__License__c', 'SELECT COUNT() FROM sfLma__Package__c']);
  });

  test('reports the LMA absent when describe finds no License object, without counting', async () => {
    const { service, soql } = fakeService({ describe: async () => null });
    expect(await checkOrg(service)).toEqual({ kind: 'absent' });
    expect(soql).toEqual([]);
  });

  test('turns LMO failures into a failed check with the error kind', async () => {
    const { service } = fakeService({
      describe: async () => Promise.reject(new LmoError('unreachable', 'down', 'ECONNREFUSED')),
    });
    const result = await checkOrg(service);
    expect(result.kind).toBe('failed');
    expect(result.kind === 'failed' && result.error.kind).toBe('unreachable');
  });
});
