/**
 * The org check: is the License Management App in the connected org, and what does it already hold?
 * Three API calls: describe the License object, then count packages and licenses.
 */
import { classify, type LmoError } from '../../lma/client.js';
import type { LmoService } from '../../lma/service.js';

export type OrgCheck =
  | { kind: 'installed'; packages: number; licenses: number }
  | { kind: 'absent' }
  | { kind: 'failed'; error: LmoError };

export async function checkOrg(service: Pick<LmoService, 'lmaInstalled' | 'lmaCounts'>): Promise<OrgCheck> {
  try {
    if (!(await service.lmaInstalled())) return { kind: 'absent' };
    return { kind: 'installed', ...(await service.lmaCounts()) };
  } catch (error) {
    const lmoError = classify(error);
    // A query that says the objects are missing is the same answer as an empty describe.
    return lmoError.kind === 'not_installed' ? { kind: 'absent' } : { kind: 'failed', error: lmoError };
  }
}
