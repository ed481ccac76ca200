import { describe, expect, test } from 'vitest';
import { checkOrg } from '../../src/guide/check.js';
import { LmoError } from '../../src/lma/client.js';

function fakeClient(o: { describe?: () => Promise<unknown>; counts?: Record<string, number>; queryError?: unknown }) {
  const soql: string[] = [];
  return {
    soql,
    client: {
      describe: async () => (o.describe ? o.describe() : { name: 'sfLma__License__c', fields: [] }),
      queryPage: async (q: string) => {
        soql.push(q);
        if (o.queryError) throw o.queryError;
        const object = /FROM (\w+)/.exec(q)?.[1] ?? '';
        return { totalSize: o.counts?.[object] ?? 0, done: true, records: [] };
      },
    } as unknown as Parameters<typeof checkOrg>[0],
  };
}

describe('the org check', () => {
  test('counts packages and licenses when the License object exists', async () => {
    const { client, soql } = fakeClient({ counts: { sfLma__Package__c: 2, sfLma__License__c: 40 } });
    expect(await checkOrg(client)).toEqual({ kind: 'installed', packages: 2, licenses: 40 });
    expect(soql.sort()).toEqual(['SELECT COUNT() FROM sfLma__License__c', 'SELECT COUNT() FROM sfLma__Package__c']);
  });

  test('reports the LMA absent when describe finds no License object, without counting', async () => {
    const { client, soql } = fakeClient({ describe: async () => null });
    expect(await checkOrg(client)).toEqual({ kind: 'absent' });
    expect(soql).toEqual([]);
  });

  test('turns LMO failures into a failed check with the error kind', async () => {
    const { client } = fakeClient({
      describe: async () => Promise.reject(new LmoError('unreachable', 'down', 'ECONNREFUSED')),
    });
    const result = await checkOrg(client);
    expect(result.kind).toBe('failed');
    expect(result.kind === 'failed' && result.error.kind).toBe('unreachable');
  });
});
