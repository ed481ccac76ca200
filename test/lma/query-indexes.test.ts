/**
 * The embedded LMO's field indexes change how many records a query reads, never its answer: every query the bot can
 * send (test/support/bot-queries.ts), through real jsforce, to two LMOs on the same demo data, one reading every
 * record, one narrowing by index — the same rows, in the same order, and far fewer records read.
 */
import { type EmulatorHandle, generateDemoData, startEmulator } from '@lma-bot/lmo-emulator';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { embeddedAuth } from '../../src/app/local.js';
import { connectToLmo } from '../../src/lma/salesforce.js';
import { cases } from '../support/bot-queries.js';

/** Inside the query set's date windows (March to May 2026), so its queries find rows. */
const TODAY = '2026-03-15';
const data = generateDemoData({ today: TODAY, licenses: 3_000 });

type Connection = Awaited<ReturnType<typeof connectToLmo>>['connection'];
const lmos: Record<'scan' | 'indexed', { emulator: EmulatorHandle; connection: Connection }> = {} as never;

beforeAll(async () => {
  for (const kind of ['scan', 'indexed'] as const) {
    const emulator = await startEmulator({
      data,
      clock: () => new Date(`${TODAY}T12:00:00Z`),
      indexes: kind === 'indexed',
    });
    const { connection } = await connectToLmo(embeddedAuth(emulator), { apiVersion: '62.0' });
    lmos[kind] = { emulator, connection };
  }
});
afterAll(async () => Promise.all(Object.values(lmos).map((l) => l.emulator.close())));

/** A result without its cursor's locator, which is random for each query (only whether there is one is kept). */
const answer = ({ nextRecordsUrl, ...rest }: { nextRecordsUrl?: string }) => ({ ...rest, paged: !!nextRecordsUrl });

const examined = (emulator: EmulatorHandle) =>
  emulator.log.reduce((sum, entry) => sum + (entry.soql ? (entry.examined ?? 0) : 0), 0);

describe('indexes against a scan, over every query the bot can send', () => {
  const withRows = new Set<string>();

  test.each(cases)('$label gives the same rows', async ({ label, soql }) => {
    const scanned = await lmos.scan.connection.query(soql);
    const indexed = await lmos.indexed.connection.query(soql);
    expect(answer(indexed)).toEqual(answer(scanned));
    if (scanned.totalSize > 0) withRows.add(label);
  });

  test('many of those queries find rows, and the indexed LMO reads under half the records', () => {
    // The owner-filtered variants name a user the demo data does not have: no rows, by design of the query set.
    expect(withRows.size).toBeGreaterThan(cases.length / 3);
    // Some queries read every license whatever the index (a first snapshot, the change feed's baseline).
    expect(examined(lmos.indexed.emulator)).toBeLessThan(examined(lmos.scan.emulator) / 2);
  });
});
