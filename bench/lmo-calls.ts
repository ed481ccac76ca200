/**
 * CPU the embedded LMO process spends per API call of the bot's answers (bench/RESULTS.md, "embedded LMO CPU per
 * call"), measured alone: bench/lmo-process.ts at the given size, and the answers' composite calls (their queries from
 * bench/lmo-queries.ts, batch sizes as the bot asks them) sent one at a time; its CPU (IPC `stats`) before and after.
 *
 * Usage: node --conditions=@lma-bot/source --import tsx bench/lmo-calls.ts [licenses=100000] [runs=15]
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LmoReady, LmoStats } from './lmo-process.js';
import { QUERIES } from './lmo-queries.js';

const [licensesArg = '100000', runsArg = '15'] = process.argv.slice(2);

/** Each answer's calls: per call its queries, each with the page size the bot asks for. */
const ANSWERS: Record<string, [string, number][][]> = {
  trials: [
    [
      ['trials list', 200],
      ['trials expired count', 2000],
    ],
  ],
  conversions: [
    [
      ['conversions history', 2000],
      ['trials expired count', 2000],
      ['conversions values', 2000],
    ],
  ],
  health: [
    [
      ['health seats range', 2000],
      ['health idle range', 2000],
      ['health busy trials', 200],
    ],
    [
      ['health over seats', 2000],
      ['health idle', 2000],
    ],
  ],
};

const child = fork(fileURLToPath(new URL('./lmo-process.ts', import.meta.url)), [licensesArg, '0'], {
  execArgv: ['--conditions=@lma-bot/source', '--import', 'tsx'],
});
const next = <T>(type: string) =>
  new Promise<T>((resolve) => {
    const on = (message: { type?: string }) => {
      if (message?.type !== type) return;
      child.off('message', on);
      resolve(message as T);
    };
    child.on('message', on);
  });
const cpu = async () => {
  const stats = next<LmoStats>('stats');
  child.send({ type: 'stats' });
  return (await stats).cpuMs;
};

const ready = await next<LmoReady>('ready');
const composite = (queries: [string, number][]) =>
  fetch(`${ready.url}/services/data/v62.0/composite`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ready.accessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      allOrNone: false,
      compositeRequest: queries.map(([name, batchSize], i) => ({
        method: 'GET',
        url: `/services/data/v62.0/query?q=${encodeURIComponent(QUERIES[name])}`,
        referenceId: `q${i}`,
        httpHeaders: { 'Sforce-Query-Options': `batchSize=${batchSize}` },
      })),
    }),
  }).then((response) => response.text());

for (const [answer, calls] of Object.entries(ANSWERS)) {
  const perCall: number[][] = calls.map(() => []);
  for (let run = 0; run <= Number(runsArg); run++) {
    for (const [i, call] of calls.entries()) {
      const before = await cpu();
      await composite(call);
      // The first run builds the indexes its queries use: left out.
      if (run > 0) perCall[i].push((await cpu()) - before);
    }
  }
  // Mean, as the benchmark reports it (a garbage collection now and then included), and median.
  const mean = (ms: number[]) => ms.reduce((sum, m) => sum + m, 0) / ms.length;
  const median = (ms: number[]) => [...ms].sort((a, b) => a - b)[ms.length >> 1];
  const each = perCall.map(
    (ms, i) =>
      `call ${i + 1} (${calls[i].map(([name]) => name).join(', ')}) mean ${mean(ms).toFixed(1)} ms, median ${median(ms).toFixed(1)} ms`,
  );
  const perAnswer = perCall.reduce((sum, ms) => sum + mean(ms), 0);
  console.log(
    `${answer}: LMO CPU per call ${(perAnswer / calls.length).toFixed(1)} ms (${perAnswer.toFixed(1)} ms for ${calls.length} calls, ${runsArg} runs): ${each.join('; ')}`,
  );
}
child.kill();
