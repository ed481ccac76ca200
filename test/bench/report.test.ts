import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from '../../bench/args.js';
import { formatReport, table } from '../../bench/report.js';
import type { BenchResults, CommandFigures, SizeResult } from '../../bench/results.js';
import { summarize } from '../../bench/stats.js';
import { answerBudgetMs, evaluateTargets, shortSoql } from '../../bench/targets.js';

const fullPlan = (() => {
  const command = parseBenchArgs([]);
  if (command.kind !== 'run') throw new Error('expected a run');
  return command.plan;
})();

function command(name: string, o: Partial<CommandFigures> = {}): CommandFigures {
  return {
    name,
    text: name,
    ack1: summarize([5, 6, 7]),
    answer1: summarize([120, 130, 140]),
    ack50: summarize([20, 25, 30]),
    answer50: summarize([200, 250, 300]),
    callsMean: 1,
    callsMax: 1,
    soql: [`SELECT Id FROM sfLma__License__c -- ${name}`],
    botCpuMs: 3,
    lmoCpuMs: 2,
    failures: 0,
    ...o,
  };
}

function size(licenses: number, o: Partial<SizeResult> = {}): SizeResult {
  return {
    licenses,
    lmoStartMs: 1500,
    commands: [
      command('status'),
      command('trials'),
      command('renewals'),
      command('conversions', { callsMean: 2, callsMax: 2, answer1: summarize([230, 240, 250]) }),
      command('thread question', { ack50: undefined, answer50: undefined }),
    ],
    floorAck1: summarize([4, 5, 6]),
    floorAck50: summarize([20, 22, 24]),
    throughput: [
      {
        concurrency: 50,
        answered: 250,
        failures: 0,
        seconds: 2.5,
        perSecond: 100,
        answer: summarize([300, 400, 900]),
        botCpuMsPerCommand: 3,
        lmoCpuMsPerCommand: 2,
      },
    ],
    digest: {
      measured: true,
      postMs: 450,
      postCalls: 3,
      soql: ['SELECT COUNT() FROM sfLma__License__c'],
      preview: summarize([400, 420, 430]),
      previewCallsMax: 3,
      peakRssMb: 120,
      peakIsLifetime: false,
      failures: 0,
    },
    botStartRssMb: 100,
    botRssMb: 110,
    botPeakMb: 125,
    floorRssMb: 80,
    ...o,
  };
}

function results(
  sizes: SizeResult[],
  memory: BenchResults['memory'] = {
    licenses: 1000,
    concurrency: 50,
    checkpoints: [
      { commands: 1000, rssMb: 100 },
      { commands: 10000, rssMb: 104 },
    ],
    failures: 0,
  },
): BenchResults {
  return {
    plan: fullPlan,
    sizes,
    memory,
    machine: {
      cpus: 2,
      cpuModel: 'Test CPU',
      memoryGb: 8,
      node: 'v20.20.2',
      os: 'Linux test x64',
      loadStart: [1.5, 1.2, 1],
      loadEnd: [2.5, 1.8, 1.1],
      date: '2026-06-15T12:00:00.000Z',
      command: 'npm run bench',
      durationS: 420,
    },
  };
}

describe('bench targets', () => {
  it('allows 1.5 × the calls’ round trips plus 50 ms for an answer', () => {
    expect(answerBudgetMs(1, 100)).toBe(200);
    expect(answerBudgetMs(2, 100)).toBe(350);
  });

  it('meets every target when the figures are within them', () => {
    const verdicts = evaluateTargets(results([size(1000), size(100000)]));
    expect(verdicts.filter((v) => v.met !== true)).toEqual([]);
    // ack and calls for the four commands, answers for five, three digest rows at the largest size, two elsewhere, memory
    expect(verdicts).toHaveLength(2 * (4 + 4 + 5) + 2 + 3 + 1);
  });

  it('misses with the reason: the queries of an answer that made too many calls, and where a slow answer’s time went', () => {
    const slow = size(10000, {
      commands: [
        command('status', { callsMean: 3, callsMax: 3, soql: ['SELECT A', 'SELECT B', 'SELECT C'] }),
        command('trials', { answer1: summarize([300, 320, 340]), lmoCpuMs: 150 }),
      ],
    });
    const verdicts = evaluateTargets(results([slow]));
    const calls = verdicts.find((v) => v.target === 'Salesforce calls per answer: status')!;
    expect(calls.met).toBe(false);
    expect(calls.why).toContain('`SELECT A`; `SELECT B`; `SELECT C`');
    const answer = verdicts.find((v) => v.target.startsWith('answer p95') && v.target.endsWith('trials'))!;
    expect(answer.met).toBe(false);
    expect(answer.why).toMatch(/340 ms = 1 × 100 ms round trip \+ 240 ms beyond it/);
    expect(answer.why).toMatch(/LMO process spent 150 ms CPU/);
  });

  it('shortens a long field list when a query is quoted in a reason', () => {
    expect(shortSoql('SELECT Id, Name, A__c, B__c FROM sfLma__License__c WHERE X = 1')).toBe(
      'SELECT 4 fields FROM sfLma__License__c WHERE X = 1',
    );
    expect(shortSoql('SELECT COUNT() FROM sfLma__License__c')).toBe('SELECT COUNT() FROM sfLma__License__c');
    expect(shortSoql('queryMore (the next page of the query before)')).toBe(
      'queryMore (the next page of the query before)',
    );
  });

  it('compares ack p99 at 50 concurrent with 1.5 × the floor’s', () => {
    const verdicts = evaluateTargets(results([size(1000, { floorAck50: summarize([10, 12, 15]) })]));
    const ack = verdicts.find((v) => v.target.endsWith('floor: status'))!;
    expect(ack.limit).toBe('23 ms');
    expect(ack.met).toBe(false);
    expect(ack.measured).toContain('2.00 × floor');
  });

  it('says why the digest was not measured rather than passing it', () => {
    const verdicts = evaluateTargets(
      results([size(1000, { digest: { measured: false, why: 'no digest in this build' } })]),
    );
    const digest = verdicts.filter((v) => v.target.startsWith('digest'));
    expect(digest).toEqual([expect.objectContaining({ met: null, why: 'no digest in this build' })]);
  });

  it('checks the digest: at most 5 calls, under 150 MB, and posted within 1 s plus its calls at the largest size only', () => {
    const digest = (o: Partial<Extract<SizeResult['digest'], { measured: true }>>) =>
      ({ ...size(0).digest, ...o }) as SizeResult['digest'];
    const verdicts = evaluateTargets(
      results([
        size(1000, { digest: digest({ postMs: 5000, postCalls: 3 }) }),
        size(100000, {
          digest: digest({ postMs: 1700, postCalls: 6, peakRssMb: 170, soql: ['SELECT X'] }),
          botStartRssMb: 140,
          floorRssMb: 90,
        }),
      ]),
    );
    const rows = verdicts.filter((v) => v.target.startsWith('digest'));
    expect(rows.map((v) => [v.licenses, v.target, v.met])).toEqual([
      [1000, 'digest: Salesforce calls', true],
      [1000, 'digest: bot peak RSS', true],
      [100000, 'digest: Salesforce calls', false],
      [100000, 'digest: bot peak RSS', false],
      [100000, 'digest: composed and posted in < 1 s + its calls', false],
    ]);
    expect(rows[2].why).toContain('`SELECT X`');
    expect(rows[3].why).toMatch(/140 MB after start-up .* floor app under the same loader 90 MB; .* added 30 MB/);
    expect(rows[4].limit).toBe('< 1600 ms');
  });

  it('flags RSS that grows more than 10% between the two checkpoints', () => {
    const verdicts = evaluateTargets(
      results([size(1000)], {
        licenses: 1000,
        concurrency: 50,
        checkpoints: [
          { commands: 1000, rssMb: 100 },
          { commands: 5000, rssMb: 108 },
          { commands: 10000, rssMb: 115 },
        ],
        failures: 0,
      }),
    );
    const memory = verdicts.find((v) => v.target.startsWith('RSS'))!;
    expect(memory.met).toBe(false);
    expect(memory.measured).toBe('100 → 115 MB (+15.0%)');
  });
});

describe('bench report', () => {
  it('writes the targets, every table, the machine, load average, Node version, date and command', () => {
    const report = formatReport(results([size(1000), size(10000)]));
    for (const heading of [
      '## Targets',
      '## Ack latency',
      '## Answer latency',
      '## Salesforce calls per answer',
      '## Digest',
      '## Throughput',
      '## Memory over time',
      '## Machine and method',
    ]) {
      expect(report).toContain(heading);
    }
    expect(report).toContain('2 cores (Test CPU), 8.0 GB memory');
    expect(report).toContain('Node v20.20.2');
    expect(report).toContain('Load average (1, 5, 15 min): 1.50, 1.20, 1.00 at the start');
    expect(report).toContain('2026-06-15T12:00:00.000Z; command: `npm run bench`');
    expect(report).toContain('| status | 1 | 1 |');
    expect(report).toContain('| conversions | 2 | 2 |');
    expect(report).toContain('| digest | 3 | 3 |');
    expect(report).toContain('**100 commands/s** (at 50 concurrent)');
  });

  it('marks missed targets and lists their reasons under "Why"', () => {
    const report = formatReport(
      results([size(1000, { commands: [command('status', { callsMean: 2, callsMax: 2 })] })]),
    );
    expect(report).toMatch(
      /\| Salesforce calls per answer: status \| 1,000 \| 2 \(max 2\) \| ≤ 1 \| \*\*missed\*\* \|/,
    );
    expect(report).toContain('### Why');
  });

  it('reports the digest as not measured, with the reason, when the build has none', () => {
    const report = formatReport(results([size(1000, { digest: { measured: false, why: 'no digest in this build' } })]));
    expect(report).toContain('| 1,000 | not measured |');
    expect(report).toContain('no digest in this build');
  });

  it('escapes pipes inside table cells', () => {
    expect(table(['a'], [['x | y']])).toBe('| a |\n| --- |\n| x \\| y |');
  });
});

describe('bench digest schedule', () => {
  it('puts the digest slot on a day that is not today, so no scheduled or catch-up post lands mid-run', async () => {
    const { digestCronNotToday } = await import('../../bench/digest.js');
    expect(digestCronNotToday(new Date('2026-06-15T10:00:00Z'))).toBe('0 0 1 1 *');
    expect(digestCronNotToday(new Date('2027-01-01T10:00:00Z'))).toBe('0 0 2 1 *');
  });
});
