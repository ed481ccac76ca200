/**
 * The test LMO (today 2026-06-15) plus licenses on the boundaries of seat health: used = bought and one over; 30%
 * used exactly and just under; renewing on day 90 and day 91; a site license renewing in the window; a trial with
 * no seat in use. What each list must hold is written out next to the data.
 */
import type { OrgData } from '@lma-bot/lmo-emulator';
import { addDays } from '../../../src/lma/dates.js';
import { LICENSE, lmoFixture, TODAY, USERS } from '../../support/lmo-fixture.js';

const day = (offset: number) => addDays(TODAY, offset);
const account = (n: number) => `001${String(100 + n).padStart(12, '0')}AAA`;

/** Name, then the license: n, status, expiration, seats bought, seats used. */
const BOUNDARY: Array<[string, number, string, string, number, number]> = [
  ['Equal Seats Co', 101, 'Active', day(200), 10, 10], // used = bought: not over
  ['One Over Co', 102, 'Active', day(200), 10, 11], // over by 1
  ['Day Ninety Co', 103, 'Active', day(90), 10, 2], // 20%, renews on day 90: at risk
  ['Day Ninety-One Co', 104, 'Active', day(91), 10, 0], // renews on day 91: outside
  ['Thirty Percent Co', 105, 'Active', day(40), 10, 3], // exactly 30%: not at risk
  ['Twenty-Nine Co', 106, 'Active', day(40), 100, 29], // 29%: at risk
  ['Whole Org Co', 107, 'Active', day(50), -1, 0], // site license renewing: excluded, counted
  ['Busy Trial Co', 108, 'Trial', day(20), 10, 9], // the hottest trial
  ['Idle Trial Co', 109, 'Trial', day(20), 10, 0], // no seat in use: not hot
];

export function healthFixture(): OrgData {
  const data = lmoFixture();
  const template = data.sfLma__License__c[0];
  BOUNDARY.forEach(([name, n, status, expiration, seats, used], i) => {
    data.Account.push({ Id: account(i), Name: name, OwnerId: i % 2 === 0 ? USERS.ann : USERS.bob });
    data.sfLma__License__c.push({
      ...template,
      Id: LICENSE(n),
      Name: `L-${String(n).padStart(5, '0')}`,
      sfLma__Status__c: status,
      sfLma__Expiration__c: expiration,
      sfLma__Seats__c: seats,
      sfLma__Used_Licenses__c: used,
      sfLma__Subscriber_Org_ID__c: `00D${String(n).padStart(12, '0')}XYZ`,
      sfLma__Account__c: account(i),
      sfLma__Lead__c: null,
    });
  });
  return data;
}

/** What the lists hold over healthFixture() (the base fixture's licenses included), in their order. */
export const EXPECTED = {
  // Acme Labs uses 25 of 20 (5 over); Globex's 300 used on a site license do not count.
  over: ['Acme Labs', 'One Over Co'],
  // Soonest first; the base fixture's renewals all use 30% or more.
  risk: ['Twenty-Nine Co', 'Day Ninety Co'],
  // Globex's site license on day 5 and Whole Org Co's on day 50 (the sandbox one is no renewal).
  siteLicensesExcluded: 2,
  // Busy Trial 9 seats, Initech 3, Acme 2; Umbrella's trial expired, Idle Trial uses none.
  hot: ['Busy Trial Co', 'Initech', 'Acme Corporation'],
};
