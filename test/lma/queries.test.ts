/**
 * Every query the bot can send, from every builder in src/lma/queries.ts with its argument variants (all fields
 * readable and a narrow integration user; with and without a package; date windows; ids and names), sent through
 * real jsforce to the embedded LMO, which refuses what Salesforce refuses. A builder added without variants fails
 * the first test.
 */
import { type EmulatorHandle, startEmulator } from '@lma-bot/lmo-emulator';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { embeddedAuth } from '../../src/app/local.js';
import { connectToLmo } from '../../src/lma/salesforce.js';
import { builders, cases, VARIANTS } from '../support/bot-queries.js';
import { lmoFixture } from '../support/lmo-fixture.js';

let emulator: EmulatorHandle;
let connection: Awaited<ReturnType<typeof connectToLmo>>['connection'];
beforeAll(async () => {
  emulator = await startEmulator({ data: lmoFixture({ withHistory: true }) });
  connection = (await connectToLmo(embeddedAuth(emulator), { apiVersion: '62.0' })).connection;
});
afterAll(async () => emulator?.close());

describe('every query the bot can send', () => {
  test('every exported builder has variants here', () => {
    expect(builders.filter((name) => !VARIANTS[name])).toEqual([]);
    expect(cases.length).toBeGreaterThan(2 * builders.length);
  });

  test.each(cases)('$label is accepted by the strict LMO', async ({ soql }) => {
    const result = await connection.query(soql);
    expect(result.done).toBe(true);
    expect(result.totalSize).toBeGreaterThanOrEqual(0);
  });
});
