/**
 * Every query the bot can send: each builder of src/lma/queries.ts with its argument variants (all fields readable
 * and a narrow integration user; with and without a package; date windows; ids and names). Shared by the strict-LMO
 * proof (test/lma/queries.test.ts) and the index-vs-scan proof (test/lma/query-indexes.test.ts).
 */
import { buildSchema } from '@lma-bot/lmo-emulator';
import { FieldAccess } from '../../src/lma/fields.js';
import * as queries from '../../src/lma/queries.js';

/** Account and Lead unreadable, and of the License only the fields answers cannot do without. */
function narrowAccess(): FieldAccess {
  const optional = new Set([
    'sfLma__Seats__c',
    'sfLma__Used_Licenses__c',
    'sfLma__Install_Date__c',
    'sfLma__Subscriber_Org_ID__c',
    'sfLma__Subscriber_Org_Is_Sandbox__c',
  ]);
  const license = buildSchema()[queries.LICENSE_OBJECT];
  const fields = new Set(license.fields.map((f) => f.name).filter((name) => !optional.has(name)));
  return new FieldAccess(
    new Map<string, ReadonlySet<string> | null>([
      ['Account', null],
      ['Lead', null],
      [queries.LICENSE_OBJECT, fields],
    ]),
  );
}

const ACCESS = { everything: FieldAccess.everything(), narrow: narrowAccess() };
const SINCE = new Date('2026-01-01T00:00:00.000Z');
const UNTIL = new Date('2026-03-01T00:00:00.000Z');
const RANGE = { from: '2026-03-01', to: '2026-05-31' };
const PACKAGES = [undefined, "O'Brien 100%_Pack"];
const OWNER = '005000000000001AAA';
/** The most seat values a health query spells, at Salesforce's highest seats (number(8,0)). */
const WIDEST = Array.from({ length: queries.SPELLED_SEATS_CAP }, (_, i) => 99_999_999 - i);
const KEY = { expiration: '2026-04-01', id: 'a0L000000000001AAA' };

export type Builder = keyof typeof queries;
/** Per builder, every SOQL text it can give for one field access. */
export const VARIANTS: Partial<Record<Builder, (a: FieldAccess) => (string | undefined)[]>> = {
  ownerFilter: () => [`SELECT Id FROM sfLma__License__c WHERE ${queries.ownerFilter(OWNER)}`],
  activeUserByEmailQuery: () => [queries.activeUserByEmailQuery("o'brien@isv.example")],
  organizationQuery: () => [queries.organizationQuery()],
  packageNamesQuery: () => [queries.packageNamesQuery()],
  countQuery: () => [queries.countQuery('sfLma__License__c'), queries.countQuery('sfLma__Package__c')],
  packageFilter: () =>
    PACKAGES.map((p) => `SELECT Id FROM sfLma__License__c WHERE ${queries.packageFilter(p) ?? 'Id != null'}`),
  customerLicensesQuery: (a) =>
    ['Acme', '00D000000000042EAA', 'a0L000000000001AAA', "it's"].flatMap((term) =>
      PACKAGES.map((p) => queries.customerLicensesQuery(a, term, p)),
    ),
  customerNamesQuery: (a) => [queries.customerNamesQuery(a, ['acm', 'glo'])],
  trialsWhere: () =>
    PACKAGES.map(
      (p) =>
        `SELECT Id FROM sfLma__License__c WHERE ${queries.trialsWhere({ ...RANGE, packageName: p, ownerId: OWNER })}`,
    ),
  countWhereQuery: (a) =>
    PACKAGES.flatMap((p) => [
      queries.countWhereQuery(queries.trialsWhere({ ...RANGE, packageName: p, ownerId: OWNER })),
      queries.countWhereQuery(queries.renewalsWhere(a, RANGE, p)),
      queries.countWhereQuery(queries.hotTrialsWhere(RANGE.from, p, OWNER)),
      queries.countWhereQuery(queries.versionUsageWhere('2.', p)),
    ]),
  expirationListQuery: (a) =>
    PACKAGES.flatMap((p) => [
      queries.expirationListQuery(a, queries.trialsWhere({ from: RANGE.from, packageName: p })),
      queries.expirationListQuery(a, queries.renewalsWhere(a, RANGE, p, OWNER)),
    ]),
  expirationPageQuery: (a) =>
    [{ size: 20 }, { size: 20, after: KEY }, { size: 5, before: KEY }].map((page) =>
      queries.expirationPageQuery(a, queries.renewalsWhere(a, RANGE, PACKAGES[1], OWNER), page),
    ),
  renewalsWhere: (a) =>
    PACKAGES.map((p) => `SELECT Id FROM sfLma__License__c WHERE ${queries.renewalsWhere(a, RANGE, p)}`),
  seatTotalsQuery: (a) => PACKAGES.map((p) => queries.seatTotalsQuery(queries.renewalsWhere(a, RANGE, p, OWNER))),
  statusHistoryQuery: (a) => [
    ...PACKAGES.map((p) => queries.statusHistoryQuery(a, SINCE, UNTIL, p)),
    queries.statusHistoryQuery(a, SINCE, UNTIL, PACKAGES[1], 200),
  ],
  statusChangesQuery: () => PACKAGES.map((p) => queries.statusChangesQuery(SINCE, UNTIL, p)),
  statusChangesByIdQuery: (a) => [
    queries.statusChangesByIdQuery(a, ['017000000000001AAA']),
    queries.statusChangesByIdQuery(a, ['017000000000001AAA', '017000000000002']),
  ],
  statusValuesQuery: () => PACKAGES.map((p) => queries.statusValuesQuery(SINCE, UNTIL, p)),
  expiredTrialsCountQuery: () => PACKAGES.map((p) => queries.expiredTrialsCountQuery(RANGE.from, RANGE.to, p)),
  seatUsageWhere: () =>
    PACKAGES.map((p) => `SELECT Id FROM sfLma__License__c WHERE ${queries.seatUsageWhere(p, OWNER)}`),
  // The widest spelled comparison (SPELLED_SEATS_CAP seat values, at its highest seats) fits a GET URL.
  overSeatsCondition: (a) => [
    queries.byUsedSeatsQuery(a, `${queries.seatUsageWhere(PACKAGES[1], OWNER)} AND ${queries.overSeatsCondition([5])}`),
    queries.byUsedSeatsQuery(
      a,
      `${queries.seatUsageWhere(PACKAGES[1], OWNER)} AND ${queries.overSeatsCondition(WIDEST)}`,
    ),
  ],
  lowUseCondition: (a) =>
    [[10], WIDEST].map((seats) =>
      queries.expirationListQuery(
        a,
        `${queries.renewalsWhere(a, RANGE, PACKAGES[1], OWNER)} AND (${queries.SITE_LICENSE} OR ${queries.lowUseCondition(seats, 0.3)})`,
      ),
    ),
  otherSeatsCondition: () => [
    `SELECT Id FROM sfLma__License__c WHERE ${queries.otherSeatsCondition([5, 10, 250]) ?? 'Id != null'}`,
  ],
  seatRangeQuery: (a) => [
    queries.seatRangeQuery(queries.seatUsageWhere(PACKAGES[1], OWNER)),
    queries.seatRangeQuery(`${queries.seatUsageWhere()} AND ${queries.otherSeatsCondition(WIDEST.slice(0, 120))}`),
    queries.seatRangeQuery(
      `${queries.renewalsWhere(a, RANGE, PACKAGES[1], OWNER)} AND (${queries.SITE_LICENSE} OR (sfLma__Seats__c > 0 AND ${queries.otherSeatsCondition([5, 10])}))`,
    ),
  ],
  byUsedSeatsQuery: (a) => [
    queries.byUsedSeatsQuery(a, queries.seatUsageWhere()),
    queries.byUsedSeatsQuery(a, queries.seatUsageWhere(), 'seats'),
  ],
  licensesByIdQuery: (a) => [queries.licensesByIdQuery(a, ['a0L000000000001AAA', 'a0L000000000002AAA'])],
  hotTrialsWhere: () =>
    PACKAGES.map((p) => `SELECT Id FROM sfLma__License__c WHERE ${queries.hotTrialsWhere(RANGE.from, p, OWNER)}`),
  hotTrialsQuery: (a) =>
    PACKAGES.flatMap((p) => [
      queries.hotTrialsQuery(a, queries.hotTrialsWhere(RANGE.from, p)),
      queries.hotTrialsQuery(a, queries.hotTrialsWhere(RANGE.from, p, OWNER), 51),
    ]),
  versionUsageWhere: () =>
    PACKAGES.map((p) => `SELECT Id FROM sfLma__License__c WHERE ${queries.versionUsageWhere('2.', p)}`),
  versionUsageQuery: (a) =>
    PACKAGES.flatMap((p) => [
      queries.versionUsageQuery(a, queries.versionUsageWhere('2.', p)),
      queries.versionUsageQuery(a, queries.versionUsageWhere('', p), 51),
    ]),
  ownerWeekQuery: (a) => [queries.ownerWeekQuery(a, OWNER, RANGE)],
  renewalsByDayQuery: (a) => [queries.renewalsByDayQuery(a, RANGE)],
  statusByDayQuery: (a) => [queries.statusByDayQuery(a, { trialsFrom: RANGE.from, siteRenewals: RANGE })],
  changedLicensesQuery: (a) => [queries.changedLicensesQuery(a, null), queries.changedLicensesQuery(a, SINCE)],
  newestChangeQuery: () => [queries.newestChangeQuery()],
  historyProbeQuery: () => [queries.historyProbeQuery()],
  trackedHistoryQuery: (a) => [queries.trackedHistoryQuery(a, SINCE)],
  versionNumbersQuery: () => [queries.versionNumbersQuery(['a0V000000000001AAA', 'a0V000000000002AAA'])],
};

export const builders = Object.entries(queries)
  .filter(([, value]) => typeof value === 'function')
  .map(([name]) => name as Builder);

/** Every SOQL text, labelled by its builder, variant and field access. */
export const cases = Object.entries(ACCESS).flatMap(([accessName, access]) =>
  Object.entries(VARIANTS).flatMap(([builder, variants]) =>
    // undefined: the builder sends nothing for that access (customerNamesQuery without a readable name).
    (variants?.(access) ?? [])
      .filter((soql): soql is string => soql !== undefined)
      .map((soql, n) => ({ label: `${builder} #${n + 1} (${accessName})`, soql })),
  ),
);
