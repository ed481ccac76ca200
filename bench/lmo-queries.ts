/**
 * CPU the embedded LMO spends on each query the bot's answers send at a given size (bench/RESULTS.md, "embedded LMO
 * CPU per call"), measured alone: the demo org built as bench/lmo-process.ts builds it, each query run through the
 * engine with the indexes (and then its first page serialised, as the HTTP route sends it), best and median of runs.
 *
 * Usage: node --conditions=@lma-bot/source --import tsx bench/lmo-queries.ts [licenses=100000] [runs=15] [filter]
 * Add --cpu-prof before --import to profile.
 */

import { generateDemoData } from '../packages/lmo-emulator/src/demo-data.js';
import { Org } from '../packages/lmo-emulator/src/org.js';
import { buildSchema } from '../packages/lmo-emulator/src/schema.js';
import { executeSoqlPages, RecordIndexes } from '../packages/lmo-emulator/src/soql/index.js';
import { addDays, todayIn } from '../src/lma/dates.js';
import { FieldAccess } from '../src/lma/fields.js';

const [licensesArg = '100000', runsArg = '15', filter] = process.argv.slice(2);
const today = todayIn('UTC', new Date());
const day = (n: number) => addDays(today, n);
const access = FieldAccess.everything();
const LICENSE = access.licenseFields().join(', ');
const HISTORY = ['Id', 'ParentId', 'CreatedDate', 'OldValue', 'NewValue', ...access.historyParentFields()].join(', ');
const renewals = (to: string) =>
  `(sfLma__Status__c = 'Active') AND (sfLma__Expiration__c >= ${today}) AND (sfLma__Expiration__c <= ${to}) AND (sfLma__Expiration__c != 1970-01-01) AND (sfLma__Subscriber_Org_Is_Sandbox__c = false)`;
const paid = `(sfLma__Status__c IN ('Active', 'Trial')) AND (sfLma__Seats__c > 0) AND (sfLma__Used_Licenses__c > 0)`;
const over = [5, 10, 15, 20, 25, 50, 100, 250, 500]
  .map((s) => `(sfLma__Seats__c = ${s} AND sfLma__Used_Licenses__c > ${s})`)
  .join(' OR ');
const under = [5, 10, 15, 25, 50, 100, 250, 500]
  .map((s) => `(sfLma__Seats__c = ${s} AND sfLma__Used_Licenses__c < ${s * 0.3})`)
  .join(' OR ');
const tomorrow = `${day(1)}T00:00:00Z`;

/** The answers' queries, as bench/RESULTS.md lists them. */
export const QUERIES: Record<string, string> = {
  'trials list': `SELECT ${LICENSE} FROM sfLma__License__c WHERE (sfLma__Status__c = 'Trial') AND (sfLma__Expiration__c >= ${today}) ORDER BY sfLma__Expiration__c ASC, Id ASC`,
  'trials expired count': `SELECT COUNT() FROM sfLma__License__c WHERE (sfLma__Status__c = 'Trial') AND (sfLma__Expiration__c >= ${day(-30)}) AND (sfLma__Expiration__c <= ${day(-1)})`,
  'renewals list': `SELECT ${LICENSE} FROM sfLma__License__c WHERE ${renewals(day(30))} ORDER BY sfLma__Expiration__c ASC, Id ASC`,
  'renewals totals': `SELECT COUNT(Id) n, SUM(sfLma__Seats__c) seats FROM sfLma__License__c WHERE (${renewals(day(30))}) AND (sfLma__Seats__c != -1)`,
  'conversions history': `SELECT ${HISTORY} FROM sfLma__License__History WHERE (Field = 'sfLma__Status__c') AND (CreatedDate >= ${day(-30)}T00:00:00Z) AND (CreatedDate < ${tomorrow}) ORDER BY CreatedDate DESC`,
  'conversions values': `SELECT Id, OldValue, NewValue FROM sfLma__License__History WHERE (Field = 'sfLma__Status__c') AND (CreatedDate >= ${day(-30)}T00:00:00Z) AND (CreatedDate < ${day(-13)}T09:31:04Z)`,
  'health seats range': `SELECT MIN(sfLma__Seats__c) lo, MAX(sfLma__Seats__c) hi, COUNT(Id) n FROM sfLma__License__c WHERE (${paid}) AND (sfLma__Seats__c NOT IN (5, 10, 15, 20, 25, 50, 100, 250, 500))`,
  'health idle range': `SELECT MIN(sfLma__Seats__c) lo, MAX(sfLma__Seats__c) hi, COUNT(Id) n FROM sfLma__License__c WHERE (${renewals(day(90))}) AND (sfLma__Seats__c = -1 OR ((sfLma__Seats__c > 0) AND (sfLma__Seats__c NOT IN (5, 10, 15, 25, 50, 100, 250, 500))))`,
  'health busy trials': `SELECT ${LICENSE} FROM sfLma__License__c WHERE (sfLma__Status__c = 'Trial') AND (sfLma__Expiration__c >= ${today}) AND (sfLma__Used_Licenses__c > 0) ORDER BY sfLma__Used_Licenses__c DESC, sfLma__Expiration__c ASC, Id ASC`,
  'health over seats': `SELECT ${LICENSE} FROM sfLma__License__c WHERE (${paid}) AND ((${over})) ORDER BY sfLma__Used_Licenses__c DESC, Id ASC`,
  'health idle': `SELECT ${LICENSE} FROM sfLma__License__c WHERE (${renewals(day(90))}) AND (((sfLma__Used_Licenses__c = null AND sfLma__Seats__c >= 1) OR ${under})) ORDER BY sfLma__Expiration__c ASC, Id ASC`,
};

if (process.argv[1]?.endsWith('lmo-queries.ts')) main();

function main(): void {
  const data = generateDemoData({ today, licenses: Number(licensesArg) });
  const org = new Org(buildSchema(), data);
  const indexes = new RecordIndexes(org);
  const options = { now: new Date(), timezone: 'UTC', apiVersion: '62.0', indexes };
  const cpuMs = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  };
  const runs = Number(runsArg);

  for (const [name, soql] of Object.entries(QUERIES)) {
    if (filter && !name.includes(filter)) continue;
    const engine: number[] = [];
    const served: number[] = [];
    let rows = 0;
    let examined = 0;
    for (let i = 0; i <= runs; i++) {
      const seen = { rows: 0 };
      const start = cpuMs();
      const pages = executeSoqlPages(org, soql, { ...options, examined: seen });
      const first = pages.slice(0, Math.min(pages.size, 2000));
      const ran = cpuMs();
      JSON.stringify({ totalSize: pages.totalSize, done: pages.size <= 2000, records: first });
      const end = cpuMs();
      // The first run builds the indexes it uses: left out.
      if (i === 0) continue;
      engine.push(ran - start);
      served.push(end - start);
      rows = pages.totalSize;
      examined = seen.rows;
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
    console.log(
      `${name.padEnd(22)} rows ${String(rows).padStart(6)} examined ${String(examined).padStart(6)}  engine+page ${median(engine).toFixed(1).padStart(6)} ms  +JSON ${median(served).toFixed(1).padStart(6)} ms (median of ${runs})`,
    );
  }
}
