/**
 * The org check: is the License Management App in the connected org, and what does it already hold?
 * Three API calls: describe the License object, then count packages and licenses.
 */
import { classify, type LmoClient, type LmoError } from '../lma/client.js';

export type OrgCheck =
  | { kind: 'installed'; packages: number; licenses: number }
  | { kind: 'absent' }
  | { kind: 'failed'; error: LmoError };

export async function checkOrg(client: Pick<LmoClient, 'describe' | 'queryPage'>): Promise<OrgCheck> {
  try {
    const license = await client.describe('sfLma__License__c');
    if (!license) return { kind: 'absent' };
    const [packages, licenses] = await Promise.all([
      client.queryPage('SELECT COUNT() FROM sfLma__Package__c'),
      client.queryPage('SELECT COUNT() FROM sfLma__License__c'),
    ]);
    return { kind: 'installed', packages: packages.totalSize, licenses: licenses.totalSize };
  } catch (error) {
    const lmoError = classify(error);
    // A query that says the objects are missing is the same answer as an empty describe.
    return lmoError.kind === 'not_installed' ? { kind: 'absent' } : { kind: 'failed', error: lmoError };
  }
}
