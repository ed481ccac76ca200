/**
 * Salesforce record Ids: 15 case-sensitive characters (key prefix, pod, sequence) and, in the 18-character form,
 * a 3-character case-safe suffix. One module mints them (demo data, records of a tree export that carry none) and
 * converts the 15-character form that reports and Data Loader write.
 */

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const CHECKSUM_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

const ID_15 = /^[a-zA-Z0-9]{15}$/;
const ID_18 = /^[a-zA-Z0-9]{18}$/;

/** The case-safe suffix from the char codes of a 15-character Id: a bit per upper-case letter of each 5-char chunk. */
function suffixCodes(codes: readonly number[]): number[] {
  const suffix: number[] = [];
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = codes[chunk * 5 + i];
      if (c >= 65 && c <= 90) bits |= 1 << i;
    }
    suffix.push(CHECKSUM_CHARS.charCodeAt(bits));
  }
  return suffix;
}

/**
 * An 18-char id from its first 6 chars (key prefix, pod, reserved) and 9 base-62 digits. Built from char codes so
 * the result is one flat string (100k-record datasets keep millions of ids).
 */
export function makeId(head: string, digits: readonly number[]): string {
  const codes: number[] = [];
  for (let i = 0; i < 6; i++) codes.push(head.charCodeAt(i));
  for (const d of digits) codes.push(BASE62.charCodeAt(d));
  return String.fromCharCode(...codes, ...suffixCodes(codes));
}

/** True for a 15- or 18-character Salesforce Id. */
export function isRecordId(value: unknown): value is string {
  return typeof value === 'string' && (ID_15.test(value) || ID_18.test(value));
}

/** The 18-character form of a 15- or 18-character Id (an 18-character one is returned as it is). */
export function toId18(id: string): string {
  if (id.length !== 15) return id;
  const codes = Array.from(id, (ch) => ch.charCodeAt(0));
  return id + String.fromCharCode(...suffixCodes(codes));
}

/** Record ids of one org: key prefix, a pod, then one sequence shared by all objects, as Salesforce mints them. */
export class IdMint {
  private sequence: number;
  constructor(
    private readonly pod = '5g0',
    start = 20_000_000,
  ) {
    this.sequence = start;
  }
  next(keyPrefix: string): string {
    const digits = new Array<number>(9);
    let n = ++this.sequence;
    for (let i = 8; i >= 0; i--, n = Math.floor(n / 62)) digits[i] = n % 62;
    return makeId(`${keyPrefix}${this.pod}`, digits);
  }
}
