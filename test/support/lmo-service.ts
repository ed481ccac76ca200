/** LmoService over real jsforce to an embedded LMO holding `data`: what the src/lma tests drive. */
import { type OrgData, startEmulator, type Visibility } from '@lma-bot/lmo-emulator';
import { embeddedAuth } from '../../src/app/local.js';
import { LmoClient } from '../../src/lma/client.js';
import { connectToLmo } from '../../src/lma/salesforce.js';
import { LmoService } from '../../src/lma/service.js';
import { NOW } from './lmo-fixture.js';

export async function serviceOver(
  data: OrgData,
  options: { historyTracked?: boolean; lmaInstalled?: boolean; clock?: () => Date; visibility?: Visibility } = {},
) {
  const { clock = () => NOW, ...lmo } = options;
  const emulator = await startEmulator({ data, clock, ...lmo });
  const client = new LmoClient(
    async () => (await connectToLmo(embeddedAuth(emulator), { apiVersion: '62.0', clock })).connection,
    { apiVersion: '62.0', timeoutMs: 5000, retries: 0 },
  );
  return { emulator, client, service: new LmoService({ client, timezone: 'UTC', clock }) };
}
