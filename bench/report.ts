/** bench/RESULTS.md from a run's figures: targets first, then every table, then the machine and the method. */
import type { BenchResults, SizeResult, ThroughputStep } from './results.js';
import type { Summary } from './stats.js';
import { ratio } from './stats.js';
import { bestRate, evaluateTargets, type Verdict } from './targets.js';

export function fmtMs(n: number): string {
  if (!Number.isFinite(n)) return '–';
  return `${n.toFixed(n < 10 ? 1 : 0)}`;
}

const n0 = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–');
const x = (n: number) => (Number.isFinite(n) ? `${n.toFixed(2)}×` : '–');
const pcts = (s: Summary | undefined) => (s && s.n > 0 ? `${fmtMs(s.p50)} / ${fmtMs(s.p95)} / ${fmtMs(s.p99)}` : '–');
const callsText = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));

export function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map((c) => c.replace(/\|/g, '\\|').replace(/\n/g, ' ')).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export function verdictMark(met: boolean | null): string {
  return met === null ? 'not measured' : met ? 'met' : '**missed**';
}

function targetsSection(verdicts: Verdict[]): string {
  const missed = verdicts.filter((v) => v.met === false);
  const rows = verdicts.map((v) => [
    v.target,
    v.licenses === undefined ? '' : n0(v.licenses),
    v.measured,
    v.limit,
    verdictMark(v.met),
  ]);
  const reasons = verdicts.filter((v) => v.met !== true && v.why);
  return [
    '## Targets',
    '',
    `${verdicts.filter((v) => v.met).length} met, ${missed.length} missed, ${verdicts.filter((v) => v.met === null).length} not measured. The benchmark reports; it never fails the build.`,
    '',
    table(['Target', 'Licenses', 'Measured', 'Limit', ''], rows),
    ...(reasons.length
      ? [
          '',
          '### Why',
          '',
          ...reasons.map(
            (v) => `- ${v.target}${v.licenses === undefined ? '' : ` (${n0(v.licenses)} licenses)`}: ${v.why}.`,
          ),
        ]
      : []),
  ].join('\n');
}

function ackSection(results: BenchResults): string {
  const c = results.plan.concurrency;
  const rows = results.sizes.flatMap((size) =>
    size.commands
      .filter((cmd) => cmd.ack50)
      .map((cmd) => [
        n0(size.licenses),
        cmd.name,
        pcts(cmd.ack1),
        pcts(size.floorAck1),
        pcts(cmd.ack50),
        pcts(size.floorAck50),
        x(ratio(cmd.ack50!.p99, size.floorAck50.p99)),
      ]),
  );
  return [
    '## Ack latency (request sent → HTTP 200), ms p50 / p95 / p99',
    '',
    `The floor is a Bolt app with one no-op \`/lma\` handler and the bot's receiver settings, driven the same way in the same run (its figures are per size because they were measured alongside). At ${c} concurrent, bursts to the bot and to the floor alternate, after one unmeasured burst to each.`,
    '',
    table(
      [
        'Licenses',
        'Command',
        'Bot, 1 at a time',
        'Floor, 1 at a time',
        `Bot, ${c} at once`,
        `Floor, ${c} at once`,
        `p99 bot ÷ floor at ${c}`,
      ],
      rows,
    ),
  ].join('\n');
}

function answerSection(results: BenchResults): string {
  const rows = results.sizes.flatMap((size) =>
    [...size.commands, ...(size.home ? [size.home] : [])].map((cmd) => [
      n0(size.licenses),
      cmd.name,
      pcts(cmd.answer1),
      pcts(cmd.own1),
      pcts(cmd.bare1),
      cmd.bare1?.n ? x(ratio(cmd.answer1.p95, cmd.bare1.p95)) : '–',
      pcts(cmd.answer50),
      callsText(cmd.callsMean),
      fmtMs(cmd.botCpuMs),
      cmd.bareCpuMs === undefined ? '–' : fmtMs(cmd.bareCpuMs),
      fmtMs(cmd.lmoCpuMs),
      String(cmd.failures),
    ]),
  );
  return [
    '## Answer latency (request sent → answer received), ms',
    '',
    "Slash commands: until the first post to the command's `response_url`. Thread question: an `app_mention` in the channel, until the bot's `chat.postMessage` in its thread. Home: `app_home_opened` until the bot's `views.publish`, once per size on a fresh bot (Home shares one reading for minutes, so only a first open reads the LMO). The bot's own share: each answer's latency minus the time the LMO spent serving its calls (its request log: arrival to answer, the added round trip included; overlapping calls counted once). Bare jsforce: the same SOQL through a plain jsforce `Connection` from this process, staged as the bot issued it (calls it made together made together), in the same run. CPU is per answer, one at a time, from process.cpuUsage() in each process: the bot's over the whole series of one question (what it does after an answer is seen, such as a thread answer's store writes, included), bare jsforce's over its series in this process (what reading and parsing the same rows costs a hand-written script), the LMO's around each answer.",
    '',
    table(
      [
        'Licenses',
        'Question',
        'p50 / p95 / p99, 1 at a time',
        "Bot's own share p50 / p95 / p99",
        'Bare jsforce p50 / p95 / p99',
        'p95 ÷ bare',
        `p50 / p95 / p99, ${results.plan.concurrency} at once`,
        'SF calls',
        'Bot CPU ms',
        'Bare jsforce CPU ms',
        'LMO CPU ms',
        'Failures',
      ],
      rows,
    ),
  ].join('\n');
}

function callsSection(results: BenchResults): string {
  const answers = (s: SizeResult) => [...s.commands, ...(s.home ? [s.home] : [])];
  const names = results.sizes[0] ? answers(results.sizes[0]).map((c) => c.name) : [];
  const digestCalls = (s: SizeResult) => (s.digest.measured ? String(s.digest.postCalls) : 'not measured');
  const quietPoll = results.alerts?.measured && results.alerts.quiet.polls > 0 ? results.alerts : undefined;
  const rows = [
    ...names.map((name) => [
      name,
      ...results.sizes.map((s) => callsText(answers(s).find((c) => c.name === name)?.callsMean ?? NaN)),
    ]),
    ['digest', ...results.sizes.map(digestCalls)],
    ...(quietPoll
      ? [
          [
            'quiet alert poll',
            ...results.sizes.map((s) =>
              s.licenses === quietPoll.licenses ? callsText(quietPoll.quiet.callsPerPoll) : '–',
            ),
          ],
        ]
      : []),
  ];
  const largest = results.sizes.at(-1);
  const soql = largest
    ? [
        '',
        `<details><summary>The SOQL of one answer at ${n0(largest.licenses)} licenses</summary>`,
        '',
        ...answers(largest).flatMap((c) => [`- ${c.name}:`, ...c.soql.map((q) => `  - \`${q}\``)]),
        ...(largest.digest.measured ? ['- digest:', ...largest.digest.soql.map((q) => `  - \`${q}\``)] : []),
        '',
        '</details>',
      ]
    : [];
  return [
    '## Salesforce calls per answer, by LMO size',
    '',
    'Counted by the LMO process (API calls served, as `DailyApiRequests` counts them) around each answer, one at a time. They should not grow with size.',
    '',
    table(['Answer', ...results.sizes.map((s) => `${n0(s.licenses)} licenses`)], rows),
    ...soql,
  ].join('\n');
}

function digestSection(results: BenchResults): string {
  const rows = results.sizes.map((s) => {
    const d = s.digest;
    if (!d.measured) return [n0(s.licenses), 'not measured', '', '', '', '', d.why];
    return [
      n0(s.licenses),
      d.postMs === undefined ? 'never posted' : fmtMs(d.postMs),
      pcts(d.preview),
      `${d.postCalls} / ${d.previewCallsMax}`,
      `${d.peakRssMb.toFixed(0)}${d.peakIsLifetime ? ' (lifetime)' : ''}`,
      String(d.failures),
      '',
    ];
  });
  return [
    '## Digest',
    '',
    "Posted: `/lma digest post` sent → the digest in the channel, composed from the LMO and posted (once per fresh bot: a day's digest is posted once). Preview: `/lma digest` sent → the same composition answered to the caller. Peak RSS: the bot process's VmHWM, reset just before.",
    '',
    table(
      [
        'Licenses',
        'Posted in, ms',
        'Preview p50 / p95 / p99, ms',
        'SF calls (post / preview)',
        'Bot peak RSS, MB',
        'Failures',
        'Note',
      ],
      rows,
    ),
  ].join('\n');
}

function throughputSection(results: BenchResults): string {
  const rows = results.sizes.flatMap((s) =>
    s.throughput.map((t) => [
      n0(s.licenses),
      String(t.concurrency),
      t.perSecond.toFixed(1),
      pcts(t.answer),
      t.answer.p99 <= 1000 ? 'yes' : 'no',
      fmtMs(t.botCpuMsPerCommand),
      fmtMs(t.lmoCpuMsPerCommand),
      `${t.answered}/${t.answered + t.failures}`,
    ]),
  );
  const best = results.sizes.map((s) => {
    const within = s.throughput.filter((t) => t.answer.p99 <= 1000 && t.failures === 0);
    const top = within.sort((a, b) => b.perSecond - a.perSecond)[0];
    return `${n0(s.licenses)} licenses: ${top ? `**${top.perSecond.toFixed(0)} commands/s** (at ${top.concurrency} concurrent)` : 'none within p99 ≤ 1 s'}`;
  });
  return [
    '## Throughput',
    '',
    `A closed loop: N users each send the next slash command (status, trials, renewals, conversions in turn) as soon as their previous one is answered; ${results.plan.throughputCommands} commands per step, or fewer when ${results.plan.throughputSeconds} s are up. Each step starts once the LMO is idle; the steps stop at the first whose p99 exceeds 1 s or that had failures. Highest rate with p99 answer latency ≤ 1 s: ${best.join('; ')}.`,
    '',
    table(
      [
        'Licenses',
        'Concurrent',
        'Answered/s',
        'Answer p50 / p95 / p99, ms',
        'p99 ≤ 1 s',
        'Bot CPU ms/cmd',
        'LMO CPU ms/cmd',
        'Answered',
      ],
      rows,
    ),
  ].join('\n');
}

function memorySection(results: BenchResults): string {
  const m = results.memory;
  if (!m) return '';
  return [
    '## Memory over time',
    '',
    `A fresh bot process on ${n0(m.licenses)} licenses, slash commands at ${m.concurrency} concurrent; its RSS (VmRSS) after each batch, read after a 300 ms rest. Failures: ${m.failures}.${m.idle ? ` Once idle again (V8 having collected what the traffic left), after the first batch and after the last: ${m.idle.first.toFixed(0)} and ${m.idle.last.toFixed(0)} MB; the target compares these.` : ''}`,
    '',
    table(
      ['Commands', ...m.checkpoints.map((c) => n0(c.commands))],
      [['RSS, MB', ...m.checkpoints.map((c) => c.rssMb.toFixed(0))]],
    ),
  ].join('\n');
}

function alertsSection(results: BenchResults): string {
  const a = results.alerts;
  if (!a) return '';
  if (!a.measured) return ['## Alerts', '', `Not measured: ${a.why}.`].join('\n');
  const b = a.burst;
  return [
    '## Alerts',
    '',
    `A fresh bot on ${n0(a.licenses)} licenses subscribed at start-up (\`ALERT_CHANNEL\`, \`ALERT_POLL_SECONDS=${a.pollSeconds}\`, the shortest allowed). After its baseline: quiet polls (nothing changed), then one license's seats raised in the LMO (a real write: SystemModstamp, history) until its alert is in the channel, then ${n0(b.changes)} licenses' at once until the poll that reads them has posted its summary (from that poll's first call, as the LMO logged it). CPU per quiet poll: each process's over the whole interval (process.cpuUsage() in the LMO, /proc for the bot: every thread, what either does between polls on its own included, such as a full garbage collection of the LMO's heap of ${n0(a.licenses)} licenses whenever V8 runs one), and the LMO's main thread's while serving the poll's call alone (from its arrival to its answer, as the LMO logged it; V8's helper threads left out). RSS added: the bot's VmHWM over the burst (reset before) minus its RSS before.`,
    '',
    table(
      [
        'Quiet polls',
        'Calls per quiet poll',
        'Bot CPU per poll, ms',
        'LMO CPU per poll, ms',
        'LMO CPU serving it, ms',
        'Write → alert, s',
        `${n0(b.changes)} changes: poll → summary, s`,
        'RSS added, MB',
      ],
      [
        [
          String(a.quiet.polls),
          a.quiet.polls ? callsText(a.quiet.callsPerPoll) : '–',
          a.quiet.polls ? fmtMs(a.quiet.botCpuMsPerPoll) : '–',
          a.quiet.polls ? fmtMs(a.quiet.lmoCpuMsPerPoll) : '–',
          a.quiet.polls ? fmtMs(a.quiet.lmoServingCpuMsPerPoll) : '–',
          a.delayMs === undefined ? 'never' : (a.delayMs / 1000).toFixed(1),
          b.processedMs === undefined ? 'no summary' : (b.processedMs / 1000).toFixed(1),
          `${b.addedRssMb.toFixed(0)}${b.peakIsLifetime ? ' (lifetime peak)' : ''}`,
        ],
      ],
    ),
  ].join('\n');
}

function replicasSection(results: BenchResults): string {
  const r = results.replicas;
  if (!r) return '';
  if (r.why) return ['## Replicas', '', `Not measured: ${r.why}.`].join('\n');
  const rows = (label: string, steps: ThroughputStep[]) =>
    steps.map((t) => [
      label,
      String(t.concurrency),
      t.perSecond.toFixed(1),
      pcts(t.answer),
      fmtMs(t.botCpuMsPerCommand),
      `${t.answered}/${t.answered + t.failures}`,
    ]);
  return [
    '## Replicas',
    '',
    `Two compiled bots on one fresh Postgres schema (\`DATABASE_URL\` with its \`search_path\`; dropped after) and one LMO of ${n0(r.licenses)} licenses, against one of them alone: the same closed loop as the throughput search, its users spread over the replicas. Highest rate at p99 ≤ 1 s: one **${bestRate(r.one).toFixed(0)}**, two **${bestRate(r.two).toFixed(0)}** commands/s.`,
    '',
    table(
      [
        'Replicas',
        'Concurrent',
        'Answered/s',
        'Answer p50 / p95 / p99, ms',
        'Bot CPU ms/cmd (all replicas)',
        'Answered',
      ],
      [...rows('one', r.one), ...rows('two', r.two)],
    ),
  ].join('\n');
}

function loopDelaySection(results: BenchResults): string {
  const sizes = results.sizes.filter((s) => s.loopDelay);
  if (sizes.length === 0) return '';
  const first = sizes[0].loopDelay!;
  const rows = sizes.map((s) => {
    const d = s.loopDelay!;
    return [
      n0(s.licenses),
      `${fmtMs(d.normal.p50)} / ${fmtMs(d.normal.p99)} / ${fmtMs(d.normal.max)}`,
      `${fmtMs(d.hostile.p50)} / ${fmtMs(d.hostile.p99)} / ${fmtMs(d.hostile.max)}`,
      x(ratio(d.hostile.p99, d.normal.p99)),
      Object.entries(d.statuses)
        .map(([k, n]) => `${n} × ${k}`)
        .join('; '),
    ];
  });
  return [
    '## Hostile input and the event loop',
    '',
    `The bot's event-loop delay (\`monitorEventLoopDelay\`, 1 ms resolution, preloaded by \`bench/bot-probe.ts\`) over ${first.requests} ordinary commands sent at once, then over ${first.requests} hostile requests sent at once, in turn: ${first.kinds.join(', ')} (\`bench/hostile.ts\`).`,
    '',
    table(
      [
        'Licenses',
        'Ordinary p50 / p99 / max, ms',
        'Hostile p50 / p99 / max, ms',
        'p99 hostile ÷ ordinary',
        'Hostile requests answered',
      ],
      rows,
    ),
  ].join('\n');
}

function sizesSection(results: BenchResults): string {
  const rows = results.sizes.map((s) => [
    n0(s.licenses),
    `${(s.lmoStartMs / 1000).toFixed(1)} s`,
    s.botStartRssMb.toFixed(0),
    s.botRssMb.toFixed(0),
    s.botPeakMb.toFixed(0),
    s.floorRssMb.toFixed(0),
  ]);
  return [
    '## Processes per size',
    '',
    'RSS in MB. The floor is compiled and run by plain Node like the bot and does nothing: what any such Bolt app occupies.',
    '',
    table(
      [
        'Licenses',
        'LMO start (generate + index)',
        'Bot after start-up and warm-up',
        'Bot at the end',
        'Bot peak',
        'Floor',
      ],
      rows,
    ),
  ].join('\n');
}

/** A one-minute load average under this at the start: nothing else was running. */
const IDLE_LOAD = 1;

function machineSection(results: BenchResults): string {
  const m = results.machine;
  const load = (l: number[]) => l.map((v) => v.toFixed(2)).join(', ');
  const p = results.plan;
  return [
    '## Machine and method',
    '',
    `- Date: ${m.date}; command: \`${m.command}\`; took ${m.durationS.toFixed(0)} s.`,
    `- Machine: ${m.cpus} cores (${m.cpuModel}), ${m.memoryGb.toFixed(1)} GB memory, ${m.os}; Node ${m.node}.`,
    `- Load average (1, 5, 15 min): ${load(m.loadStart)} at the start, ${load(m.loadEnd)} at the end. ${
      m.loadStart[0] < IDLE_LOAD
        ? `Nothing else ran: the one-minute load was under ${IDLE_LOAD} when it began, so the figures are the benchmark's own.`
        : 'The machine was shared: other work ran alongside, so absolute timings carry that noise; ratios to the floor, measured in the same moments, less so.'
    }`,
    `- Processes: every one compiled and run by plain Node, no TypeScript loader: the embedded LMO (\`bench/lmo-process.ts\`: demo data, ${p.latencyMs} ms added to every Salesforce call, a fresh process per size, run with \`--max-semi-space-size=64\` so that a query's rows are collected young), the bot (\`node dist/index.js\` as production runs it, with \`bench/exit-with-parent.ts\` preloaded, which only stops it when the benchmark goes; HTTP mode, SQLite in a scratch DATA_DIR, a fresh process per size), the floor (\`bench/floor-app.ts\`, a fresh process per size, like the bot: both measured from the same start), and this process playing Slack (the fake Web API and response_urls of \`packages/slack-sandbox\`, signed requests). Loopback only.`,
    `- Samples: ${p.sequentialSamples} per question one at a time (after a warm-up), ${p.burstRounds} bursts of ${p.concurrency} per command (fewer when a size's bursts pass ${p.burstSeconds} s; each command gets the same number), up to ${p.throughputCommands} commands (or ${p.throughputSeconds} s) per throughput step, ${p.digestPreviews} digest previews and one digest post per size. Percentiles are nearest-rank.`,
  ].join('\n');
}

export function formatReport(results: BenchResults): string {
  const run = results.plan.quick
    ? `quick smoke run: few samples and ${results.plan.idleWaitSeconds} s of rest before an idle RSS reading, do not judge timings or idle RSS`
    : 'full run';
  const sections = [
    '# Benchmark results',
    `Generated by \`${results.machine.command}\` (${run}) on ${results.machine.date.slice(0, 10)}. Regenerate with \`npm run bench\`.`,
    targetsSection(evaluateTargets(results)),
    ackSection(results),
    answerSection(results),
    callsSection(results),
    digestSection(results),
    throughputSection(results),
    memorySection(results),
    alertsSection(results),
    replicasSection(results),
    loopDelaySection(results),
    sizesSection(results),
    machineSection(results),
  ];
  return `${sections.filter(Boolean).join('\n\n')}\n`;
}
