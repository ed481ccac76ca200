import { describe, expect, it } from 'vitest';
import { Org } from '../../src/org.js';
import { buildSchema } from '../../src/schema.js';
import type { SoqlErrorCode } from '../../src/soql/index.js';
import { executeSoql, SoqlError } from '../../src/soql/index.js';
import { OPTIONS, query } from './fixture.js';

function errorOf(run: () => unknown): SoqlError {
  try {
    run();
  } catch (error) {
    if (error instanceof SoqlError) return error;
    throw error;
  }
  throw new Error('expected a SoqlError');
}
const failure = (soql: string) => errorOf(() => query(soql));

describe('errors where Salesforce gives them', () => {
  it.each<[string, SoqlErrorCode, RegExp]>([
    ['SELECT Id FROM Foo__c', 'INVALID_TYPE', /^sObject type 'Foo__c' is not supported\./],
    ['SELECT Id, Foo FROM sfLma__License__c', 'INVALID_FIELD', /^No such column 'Foo' on entity 'sfLma__License__c'\./],
    [
      'SELECT sfLma__Account__r.Foo FROM sfLma__License__c',
      'INVALID_FIELD',
      /^No such column 'Foo' on entity 'Account'/,
    ],
    [
      'SELECT Foo__r.Name FROM sfLma__License__c',
      'INVALID_FIELD',
      /^Didn't understand relationship 'Foo__r' in field path/,
    ],
    ["SELECT Id FROM sfLma__License__c WHERE Foo = 'x'", 'INVALID_FIELD', /No such column 'Foo'/],
    ['SELECT Id FROM sfLma__License__c ORDER BY Foo', 'INVALID_FIELD', /No such column 'Foo'/],
    [
      'SELECT Id, (SELECT Id FROM Foos__r) FROM sfLma__Package__c',
      'INVALID_TYPE',
      /Didn't understand relationship 'Foos__r' in FROM part/,
    ],
    ['SELECT Id FROM', 'MALFORMED_QUERY', /./],
    ['SELECT Id FROM sfLma__License__c WHERE Name = ', 'MALFORMED_QUERY', /./],
    [
      "SELECT Id FROM sfLma__License__c WHERE Name = 'a' AND Name = 'b' OR Name = 'c'",
      'MALFORMED_QUERY',
      /unexpected token: OR/,
    ],
    ['SELECT Name, COUNT(Id) FROM sfLma__License__c', 'MALFORMED_QUERY', /Field must be grouped or aggregated: Name/],
    [
      "SELECT Id FROM sfLma__License__History WHERE OldValue = 'Trial'",
      'INVALID_FIELD',
      /^field 'OldValue' can not be filtered in a query call$/,
    ],
    ['SELECT Id FROM sfLma__License__History ORDER BY NewValue', 'INVALID_FIELD', /can not be sorted/],
    [
      "SELECT Id FROM sfLma__License__c WHERE sfLma__Seats__c = '5'",
      'INVALID_QUERY_FILTER_OPERATOR',
      /must be of type double/,
    ],
    [
      'SELECT Id FROM sfLma__License__c WHERE Name = 5',
      'INVALID_QUERY_FILTER_OPERATOR',
      /must be of type string and should be enclosed in quotes/,
    ],
    [
      'SELECT Id FROM sfLma__License__c WHERE CreatedDate > 2026-01-01',
      'INVALID_QUERY_FILTER_OPERATOR',
      /must be of type dateTime/,
    ],
    ["SELECT Id FROM sfLma__License__c WHERE Id = 'nope'", 'INVALID_QUERY_FILTER_OPERATOR', /invalid ID field: nope/],
    [
      'SELECT Id FROM sfLma__License__c WHERE sfLma__Seats__c LIKE 5',
      'INVALID_QUERY_FILTER_OPERATOR',
      /invalid operator/,
    ],
    ['SELECT Id FROM sfLma__License__c WITH SECURITY_ENFORCED', 'EMULATOR_UNSUPPORTED', /WITH SECURITY_ENFORCED/],
    ['SELECT Id FROM sfLma__License__c FOR VIEW', 'EMULATOR_UNSUPPORTED', /FOR VIEW/],
    ['SELECT TYPEOF Owner WHEN User THEN Name END FROM Account', 'EMULATOR_UNSUPPORTED', /TYPEOF/],
    ['SELECT FORMAT(sfLma__Seats__c) FROM sfLma__License__c', 'EMULATOR_UNSUPPORTED', /FORMAT/],
    ['SELECT convertCurrency(sfLma__Seats__c) FROM sfLma__License__c', 'EMULATOR_UNSUPPORTED', /convertCurrency/],
    [
      'SELECT Id FROM sfLma__License__c WHERE CALENDAR_YEAR(CreatedDate) = 2026',
      'EMULATOR_UNSUPPORTED',
      /CALENDAR_YEAR/,
    ],
    ['SELECT Id FROM sfLma__License__c WHERE CreatedDate = THIS_FISCAL_YEAR', 'EMULATOR_UNSUPPORTED', /fiscal/],
    [
      'SELECT sfLma__Status__c FROM sfLma__License__c GROUP BY ROLLUP(sfLma__Status__c)',
      'EMULATOR_UNSUPPORTED',
      /ROLLUP/,
    ],
  ])('%s → %s', (soql, code, message) => {
    const error = failure(soql);
    expect(error.errorCode).toBe(code);
    expect(error.message).toMatch(message);
  });

  it('has no LMA objects in an org without the LMA installed', () => {
    const org = new Org(buildSchema({ lmaInstalled: false }), {});
    expect(errorOf(() => executeSoql(org, 'SELECT Id FROM sfLma__License__c', OPTIONS)).errorCode).toBe('INVALID_TYPE');
    expect(executeSoql(org, 'SELECT Id FROM Lead', OPTIONS)).toEqual({ totalSize: 0, records: [] });
  });
});
