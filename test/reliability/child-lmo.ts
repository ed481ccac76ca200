/**
 * The embedded LMO in a process of its own, as a real org is remote: the load test measures the bot without the
 * LMO's query work on its event loop. Prints one JSON line with the URL and the refresh-token flow's credentials.
 * LMO_LICENSES and LMO_LATENCY_MS size it; TODAY is the fixture's date. On SIGUSR2 it prints what its request log
 * holds so far (`{"mark":n,"requests":…,"apiRequests":…}`): a test counts the Salesforce calls of a window from it.
 */
import { generateDemoData, startEmulator } from '@lma-bot/lmo-emulator';
import { NOW, TODAY } from '../support/lmo-fixture.js';

const emulator = await startEmulator({
  data: generateDemoData({ today: TODAY, licenses: Number(process.env.LMO_LICENSES ?? 850) }),
  clock: () => NOW,
  timezone: 'UTC',
  faults: { latencyMs: Number(process.env.LMO_LATENCY_MS ?? 0) },
});
process.stdout.write(`${JSON.stringify({ url: emulator.url, credentials: emulator.credentials })}\n`);
let marks = 0;
process.on('SIGUSR2', () => {
  const apiRequests = emulator.log.filter((e) => e.path.startsWith('/services/data/v')).length;
  process.stdout.write(`${JSON.stringify({ mark: ++marks, requests: emulator.log.length, apiRequests })}\n`);
});
process.once('SIGTERM', () => void emulator.close().then(() => process.exit(0)));
