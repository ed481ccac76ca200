/**
 * What an answer should list, computed from the fixture's records with plain filters written here (not the bot's
 * SOQL): reliability tests compare answers given under faults with these, so "correct" means the right licenses, not
 * "the same as the bot said before".
 */
import type { OrgData, SObjectRecord } from '@lma-bot/lmo-emulator';

export interface ExpectedAnswer {
  /** License Ids the answer links, in the order it lists them (or any order when `ordered` is false). */
  licenses: string[];
  ordered: boolean;
}

const plusDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const byExpiration = (a: SObjectRecord, b: SObjectRecord) =>
  String(a.sfLma__Expiration__c).localeCompare(String(b.sfLma__Expiration__c)) ||
  String(a.Id).localeCompare(String(b.Id));
const ids = (records: SObjectRecord[]) => records.map((r) => String(r.Id));

/** The licenses `/lma <command>` names on `today` in `data`; throws for a command it does not know. */
export function expectedAnswer(command: string, data: OrgData, today: string): ExpectedAnswer {
  const licenses = data.sfLma__License__c ?? [];
  const inWindow = (l: SObjectRecord, from: string, to?: string) => {
    const expiration = l.sfLma__Expiration__c as string | null;
    return expiration !== null && expiration >= from && (to === undefined || expiration <= to);
  };
  let match = /^renewals (\d+)$/.exec(command);
  if (match) {
    const to = plusDays(today, Number(match[1]));
    const renewing = licenses.filter(
      (l) =>
        l.sfLma__Status__c === 'Active' &&
        l.sfLma__Expiration__c !== '1970-01-01' &&
        l.sfLma__Subscriber_Org_Is_Sandbox__c !== true &&
        inWindow(l, today, to),
    );
    return { licenses: ids(renewing.sort(byExpiration)), ordered: true };
  }
  match = /^trials(?: (\d+))?$/.exec(command);
  if (match) {
    const to = match[1] === undefined ? undefined : plusDays(today, Number(match[1]));
    const trials = licenses.filter((l) => l.sfLma__Status__c === 'Trial' && inWindow(l, today, to));
    return { licenses: ids(trials.sort(byExpiration)), ordered: true };
  }
  match = /^conversions (\d+)$/.exec(command);
  if (match) {
    const from = plusDays(today, -Number(match[1]));
    const converted = (data.sfLma__License__History ?? [])
      .filter((h) => h.Field === 'sfLma__Status__c' && h.OldValue === 'Trial' && h.NewValue === 'Active')
      .filter((h) => String(h.CreatedDate).slice(0, 10) >= from && String(h.CreatedDate).slice(0, 10) <= today)
      .map((h) => String(h.ParentId));
    return { licenses: converted, ordered: false };
  }
  match = /^status (.+)$/.exec(command);
  if (match) {
    const term = match[1].toLowerCase();
    const names = new Map<string, string>([
      ...(data.Account ?? []).map((a): [string, string] => [String(a.Id), String(a.Name)]),
      ...(data.Lead ?? []).map((l): [string, string] => [String(l.Id), String(l.Company)]),
    ]);
    const customer = (l: SObjectRecord) => names.get(String(l.sfLma__Account__c ?? l.sfLma__Lead__c)) ?? '';
    return { licenses: ids(licenses.filter((l) => customer(l).toLowerCase().includes(term))), ordered: false };
  }
  throw new Error(`no expectation for "${command}"`);
}

/** The license Ids an answer links, in order of first appearance. */
export function licensesIn(blocks: unknown): string[] {
  return [...new Set(JSON.stringify(blocks).match(/a0L[0-9A-Za-z]{15}/g) ?? [])];
}

/** Whether an answer lists exactly the expected licenses. */
export function listsExpected(blocks: unknown, expected: ExpectedAnswer): boolean {
  const shown = licensesIn(blocks);
  return expected.ordered
    ? JSON.stringify(shown) === JSON.stringify(expected.licenses)
    : JSON.stringify([...shown].sort()) === JSON.stringify([...expected.licenses].sort());
}

/** The failure messages the bot sends instead of an answer (src/slack/messages.ts). */
const FAILURE =
  /LMO unreachable|did not answer in time|daily Salesforce API requests|could not sign in to the LMO|rejected the bot’s query|Something went wrong/;

export const isFailureText = (text: string) => FAILURE.test(text);
