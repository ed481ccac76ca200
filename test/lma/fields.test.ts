import { describe, expect, it } from 'vitest';
import { FieldAccess, missingMessage, omittedWarning } from '../../src/lma/fields.js';

const ALL: Record<string, string[]> = {
  sfLma__License__c: [
    'Id',
    'Name',
    'sfLma__Status__c',
    'sfLma__Expiration__c',
    'sfLma__Seats__c',
    'sfLma__Used_Licenses__c',
    'sfLma__Install_Date__c',
    'sfLma__Subscriber_Org_ID__c',
    'sfLma__Subscriber_Org_Is_Sandbox__c',
    'sfLma__Org_Instance__c',
    'sfLma__Org_Type__c',
    'sfLma__Version_Number__c',
    'sfLma__Package__c',
    'sfLma__Account__c',
    'sfLma__Lead__c',
    'LastModifiedDate',
  ],
  sfLma__Package__c: ['Id', 'Name'],
  Account: ['Id', 'Name', 'OwnerId'],
  Lead: ['Id', 'Company', 'OwnerId'],
  User: ['Id', 'Name'],
};

/** What a describe of each object gives, less the hidden `Object.Field`s and objects. */
function accessWithout(...hidden: string[]): FieldAccess {
  return new FieldAccess(
    new Map(
      Object.entries(ALL).map(([object, fields]) => [
        object,
        hidden.includes(object) ? null : new Set(fields.filter((f) => !hidden.includes(`${object}.${f}`))),
      ]),
    ),
  );
}

describe('FieldAccess: the SELECT lists from what the integration user may read', () => {
  it('selects every field the bot reads when all is readable, and warns of nothing', () => {
    const access = accessWithout();
    expect(access.licenseFields()).toEqual(FieldAccess.everything().licenseFields());
    expect(access.licenseFields()).toContain('sfLma__Account__r.Owner.Name');
    expect(missingMessage(access)).toBeUndefined();
    expect(omittedWarning(access)).toBeUndefined();
  });

  it('leaves an optional field out of every list, and the answers leave out its fact', () => {
    const access = accessWithout('sfLma__License__c.sfLma__Seats__c', 'Account.OwnerId');
    expect(access.licenseFields()).not.toContain('sfLma__Seats__c');
    expect(access.licenseFields().filter((f) => f.includes('Owner'))).toEqual([]);
    expect([...access.omittedFacts]).toEqual(['seats', 'owner']);
    expect(omittedWarning(access)).toBe(
      "The LMO's integration user cannot read sfLma__License__c.sfLma__Seats__c, Account.OwnerId: answers leave out seats, owner. " +
        'To show them, grant a permission set with Read on License, Account and on the fields License: Seats, Account: Account Owner ' +
        '(Setup → Permission Sets → the integration user’s set → Object Settings), assigned to the integration user.',
    );
  });

  it('an unreadable object takes its fields with it', () => {
    const access = accessWithout('Lead');
    expect(access.licenseFields().filter((f) => f.includes('Lead'))).toEqual([]);
    expect(access.refFields()).toEqual(['Id', 'Name', 'sfLma__Package__r.Name', 'sfLma__Account__r.Name']);
    expect(access.omitted.map((u) => u.object)).toEqual(['Lead']);
  });

  it('says which needed field or object is missing and how to grant it', () => {
    expect(missingMessage(accessWithout('sfLma__License__c.sfLma__Status__c'))).toBe(
      "The LMO's integration user cannot read sfLma__License__c.sfLma__Status__c, which every answer needs. Grant a permission set " +
        'with Read on License and on the fields License: Status (Setup → Permission Sets → the integration user’s set → Object Settings), ' +
        'assigned to the integration user.',
    );
    expect(missingMessage(accessWithout('sfLma__Package__c'))).toMatch(
      /^The LMO's integration user cannot read sfLma__Package__c, which every answer needs\. Grant a permission set with Read on Package /,
    );
    expect(missingMessage(accessWithout('sfLma__License__c'))).toMatch(/cannot read sfLma__License__c, which/);
  });
});
