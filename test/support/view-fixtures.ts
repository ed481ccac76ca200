/** What pure view tests share: a view context and a license built by number, with only what a test overrides. */
import type { License } from '../../src/lma/model.js';
import type { ViewContext } from '../../src/slack/licenses.js';

export const viewContext: ViewContext = {
  instanceUrl: 'https://isv.my.salesforce.com',
  lmoLabel: 'ISV (00D…)',
  readAt: new Date('2026-06-15T10:00:00Z'),
  timezone: 'UTC',
};

export const licenseNumber = (n: number, overrides: Partial<License> = {}): License => ({
  id: `a0L${String(n).padStart(15, '0')}`,
  name: `L-${n}`,
  status: 'Active',
  expiration: '2026-06-20',
  seats: 10,
  siteLicense: false,
  usedSeats: 4,
  installDate: '2026-01-01',
  orgId: '00D000000000001XYZ',
  isSandbox: false,
  instance: 'NA1',
  edition: 'Enterprise Edition',
  version: '2.0.0',
  packageId: 'a0P1',
  packageName: 'Invoicer',
  customer: { name: `Customer ${n}`, kind: 'account', id: `001${n}`, owner: 'Ann' },
  lastModified: null,
  ...overrides,
});
