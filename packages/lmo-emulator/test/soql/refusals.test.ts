/**
 * What Salesforce refuses, refused with its error code and message shape, so a bot query that leans on
 * something a real org rejects fails here first.
 */
import { describe, expect, it } from 'vitest';
import { describeSObject } from '../../src/describe.js';
import { Org } from '../../src/org.js';
import { buildSchema, findField, findObject } from '../../src/schema.js';
import type { SoqlErrorCode } from '../../src/soql/index.js';
import { executeSoql, SoqlError } from '../../src/soql/index.js';
import { id, OPTIONS, query } from './fixture.js';

function refusal(run: () => unknown): SoqlError {
  try {
    run();
  } catch (error) {
    if (error instanceof SoqlError) return error;
    throw error;
  }
  throw new Error('expected the query to be refused');
}

/** Salesforce's parse-error shape: the query, a caret under the token, then the row and column. */
const pointsAt = (column: number, reason: string) =>
  new RegExp(`\\n\\^?.*\\n {${column - 1}}\\^\\nERROR at Row:1:Column:${column}\\n${reason}$`);

describe('refusals Salesforce makes', () => {
  it.each<[string, string, SoqlErrorCode, RegExp]>([
    [
      'OFFSET over 2,000',
      'SELECT Id FROM sfLma__License__c LIMIT 10 OFFSET 2001',
      'NUMBER_OUTSIDE_VALID_RANGE',
      pointsAt(43, 'Maximum SOQL offset allowed is 2000'),
    ],
    [
      'GROUP BY a currency field',
      'SELECT sfLma__Seats__c FROM sfLma__License__c GROUP BY sfLma__Account__r.AnnualRevenue',
      'INVALID_FIELD',
      /^field 'AnnualRevenue' can not be grouped in a query call$/,
    ],
    [
      'GROUP BY a datetime',
      'SELECT CreatedDate, COUNT(Id) FROM sfLma__License__c GROUP BY CreatedDate',
      'INVALID_FIELD',
      /^field 'CreatedDate' can not be grouped in a query call$/,
    ],
    [
      'GROUP BY a formula field',
      'SELECT sfLma__License_Status__c, COUNT(Id) FROM sfLma__License__c GROUP BY sfLma__License_Status__c',
      'INVALID_FIELD',
      /^field 'sfLma__License_Status__c' can not be grouped in a query call$/,
    ],
    [
      'an aggregate of a boolean',
      'SELECT MAX(sfLma__Subscriber_Org_Is_Sandbox__c) FROM sfLma__License__c',
      'INVALID_FIELD',
      /^field sfLma__Subscriber_Org_Is_Sandbox__c does not support aggregate operator MAX$/,
    ],
    [
      'LIMIT on an aggregate query without GROUP BY (the reference’s MAX(CreatedDate) … LIMIT 1)',
      'SELECT MAX(CreatedDate) FROM sfLma__License__c LIMIT 1',
      'MALFORMED_QUERY',
      pointsAt(48, 'LIMIT is not allowed in a query with aggregate functions but no GROUP BY'),
    ],
    [
      'OFFSET in a child sub-query without LIMIT 1 on the parent',
      'SELECT Id, (SELECT Id FROM sfLma__Licenses__r LIMIT 5 OFFSET 1) FROM sfLma__Package__c LIMIT 2',
      'MALFORMED_QUERY',
      pointsAt(55, 'OFFSET in a sub-query requires LIMIT 1 on the outer query'),
    ],
    [
      'INCLUDES on a single-select picklist',
      "SELECT Id FROM sfLma__License__c WHERE sfLma__Status__c INCLUDES ('Trial')",
      'INVALID_QUERY_FILTER_OPERATOR',
      /^includes or excludes operator only valid on multipicklist field$/,
    ],
    [
      'a field selected twice',
      'SELECT Id, Name, id FROM sfLma__License__c',
      'INVALID_FIELD',
      /^duplicate field selected: id$/,
    ],
    [
      'a parent field selected twice',
      'SELECT sfLma__Package__r.Name, sfLma__Package__r.name FROM sfLma__License__c',
      'INVALID_FIELD',
      /^duplicate field selected: sfLma__Package__r\.name$/,
    ],
    [
      'a semi-join inside another',
      'SELECT Id FROM sfLma__Package__c WHERE Id IN (SELECT sfLma__Package__c FROM sfLma__License__c WHERE sfLma__Account__c IN (SELECT Id FROM Account))',
      'MALFORMED_QUERY',
      /^Nesting of semi join sub-selects is not supported$/,
    ],
    [
      'a semi-join joined by OR',
      "SELECT Id FROM sfLma__Package__c WHERE Name = 'x' OR Id IN (SELECT sfLma__Package__c FROM sfLma__License__c)",
      'MALFORMED_QUERY',
      /^Semi join sub-selects are not allowed with the 'OR' operator$/,
    ],
    [
      'a semi-join under NOT',
      'SELECT Id FROM sfLma__Package__c WHERE NOT Id IN (SELECT sfLma__Package__c FROM sfLma__License__c)',
      'MALFORMED_QUERY',
      /^Semi join sub-selects are only allowed at the top level WHERE expressions and not in nested WHERE expressions\.$/,
    ],
    [
      'an impossible datetime',
      'SELECT Id FROM sfLma__License__c WHERE CreatedDate > 2026-02-30T00:00:00Z',
      'MALFORMED_QUERY',
      /invalid datetime: 2026-02-30T00:00:00Z$/,
    ],
  ])('%s', (_name, soql, code, message) => {
    const error = refusal(() => query(soql));
    expect(error.errorCode).toBe(code);
    expect(error.message).toMatch(message);
  });

  it('still answers what those rules allow: OFFSET 2000, a child OFFSET under LIMIT 1, a semi-join joined by AND', () => {
    expect(query('SELECT Id FROM sfLma__License__c LIMIT 1 OFFSET 2000').records).toEqual([]);
    const child = query(
      'SELECT Id, (SELECT Id FROM sfLma__Licenses__r ORDER BY Id LIMIT 1 OFFSET 1) FROM sfLma__Package__c ORDER BY Name LIMIT 1',
    );
    expect(child.totalSize).toBe(1);
    const semi = query(
      "SELECT Id FROM sfLma__Package__c WHERE Name != 'x' AND Id IN (SELECT sfLma__Package__c FROM sfLma__License__c)",
    );
    expect(semi.totalSize).toBeGreaterThan(0);
  });

  it('refuses an aggregate query of more than 2,000 rows, which Salesforce will not page', () => {
    const licenses = Array.from({ length: 2001 }, (_, n) => ({
      Id: id('a0L', n + 1),
      Name: `L-${n}`,
      sfLma__Expiration__c: new Date(Date.UTC(2020, 0, 1 + n)).toISOString().slice(0, 10),
    }));
    const org = new Org(buildSchema(), { sfLma__License__c: licenses });
    const soql = 'SELECT sfLma__Expiration__c, COUNT(Id) n FROM sfLma__License__c GROUP BY sfLma__Expiration__c';
    const error = refusal(() => executeSoql(org, soql, OPTIONS));
    expect(error.errorCode).toBe('EXCEEDED_ID_LIMIT');
    expect(error.message).toMatch(/^Aggregate query does not support queryMore\(\), use LIMIT/);
    expect(executeSoql(org, `${soql} LIMIT 2000`, OPTIONS).totalSize).toBe(2000);
  });

  it("describe's groupable and aggregatable tell the same truth as GROUP BY and the aggregates", () => {
    const schema = buildSchema();
    const license = findObject(schema, 'sfLma__License__c')!;
    const fields = describeSObject(license, '62.0').fields as {
      name: string;
      groupable: boolean;
      aggregatable: boolean;
    }[];
    const of = (name: string) => fields.find((f) => f.name === name)!;
    expect(findField(license, 'CreatedDate')).toBeDefined();
    expect(of('CreatedDate').groupable).toBe(false);
    expect(of('sfLma__License_Status__c').groupable).toBe(false);
    expect(of('sfLma__Status__c').groupable).toBe(true);
    expect(of('sfLma__Expiration__c').groupable).toBe(true);
    expect(of('sfLma__Subscriber_Org_Is_Sandbox__c').aggregatable).toBe(false);
  });
});
