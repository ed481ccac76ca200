/**
 * Writes the README's Reliability table from test-artifacts/reliability.json, the figures the last run of
 * `npx vitest run test/reliability` measured: `npm run reliability:table` after a run. Nothing here is a figure;
 * each cell reads one from the file, and a section the file lacks is said to be missing.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

type Figures = Record<string, number | string | boolean>;

const ROOT = join(import.meta.dirname, '..', '..');
const README = join(ROOT, 'README.md');
const START = '<!-- reliability-table:start (npm run reliability:table) -->';
const END = '<!-- reliability-table:end -->';

const n = (value: unknown) => (typeof value === 'number' ? value.toLocaleString('en-US') : String(value ?? '?'));
const b = (value: unknown) => `**${n(value)}**`;
const percent = (part: unknown, whole: unknown) =>
  typeof part === 'number' && typeof whole === 'number' && whole > 0
    ? `${Number(((100 * part) / whole).toFixed(1))}%`
    : '?';
const ms = (value: unknown) =>
  typeof value === 'number' ? (value >= 1000 ? `${(value / 1000).toFixed(1)} s` : `${value} ms`) : '?';

const ROWS: [section: string, area: string, tried: (f: Figures) => string, result: (f: Figures) => string][] = [
  [
    'authenticity',
    'Request authenticity',
    (f) =>
      `${n(f.tried)} generated requests: no signature, wrong signature, timestamp over 5 min old, replayed body with a new timestamp, body altered after signing, bodies over 1 MB, malformed form/JSON payloads (signed)`,
    (f) =>
      `accepted ${b(f.accepted)}, crashes ${b(f.crashes)}; ${n(f.soqlFromForgedRequests)} SOQL and ${n(f.slackCallsFromForgedRequests)} Slack calls caused`,
  ],
  [
    'hostileInput',
    'Hostile input',
    (f) =>
      `signed requests of every type Slack sends: ${n(f.misshapedTried)} payloads with fields missing or null (block_actions, view_submission, view_closed, shortcut, message_action, block_suggestion, dialog_submission, events with \`item: null\` or \`authorizations: [null]\`, slash commands); ${n(f.unownedTried)} types, commands, buttons and message shortcuts the bot does not own; ${n(f.valuesTried)} malformed or oversized button values (up to 100 KB); ${n(f.idsTried)} user ids holding markup; ${n(f.skewTried)} timestamps 5 min to 100 years off either way; ${n(f.replaysTried)} exact replays; ${n(f.targetsTried)} request targets that are no URL (\`GET //\`, \`POST http://[\`); ${n(f.backtrackingTried)} messages of unclosed mentions and long runs (up to 300 KB)`,
    (f) =>
      `5xx ${b(f.fiveXX)}, replays accepted ${b(f.replaysAccepted)}, active markup ${b(f.activeMarkup)}, unanswered button clicks ${b((f.unownedClicksUnanswered as number) + (f.valueClicksUnanswered as number))}; ${n(f.valuesSoql)} SOQL from button values; every regex in src/ proven linear by recheck (test/parse/linear-patterns.test.ts)`,
  ],
  [
    'memory',
    'Memory',
    (f) =>
      `${n(f.rounds)} rounds of ${n(f.requestsPerRound)} signed hostile requests to the compiled bot on its embedded LMO (\`/lma status\` with hostile names, old and malformed buttons, mis-shaped payloads, timestamps an hour off, exact replays, unclosed mentions); ${n(f.lmoCalls)} LMO calls in all`,
    (f) =>
      `heap kept after a full collection (V8's \`--trace-gc\`) ${n(f.liveAfterFirstMB)} / ${n(f.liveAfterSecondMB)} / ${n(f.liveAfterThirdMB)} MB after each round: the third ${b(`${n(f.liveGrowthPercent)}%`)} over the first (limit 10%); RSS once idle again ${n(f.rssAfterFirstMiB)} / ${n(f.rssAfterSecondMiB)} / ${n(f.rssAfterThirdMiB)} MiB: ${b(`${n(f.rssGrowthPercent)}%`)} (limit 10%; right after the round, busy, ${n(f.busyRssAfterFirstMiB)} and ${n(f.busyRssAfterThirdMiB)} MiB); 5xx ${b(f.fiveXX)}`,
  ],
  [
    'soqlInjection',
    'SOQL injection',
    (f) =>
      `${n(f.inputs)} hostile customer names and questions (quotes, backslashes, \`%\`/\`_\`, \`' OR Name != '\`, newlines, unicode, RTL marks, emoji, 5,000-char strings, Slack mentions and links) through \`/lma status\` (${n(f.slashCommands)}), thread questions (${n(f.threadQuestions)}) and install-guide replies (${n(f.guideReplies)}); ${n(f.soqlQueries)} queries`,
    (f) =>
      `malformed queries ${b(f.malformedQueries)}, wrong matches ${b(f.wrongMatches)} (${n(f.lookupsComparedWithPlainFilter)} lookups compared with a plain filter), unanswered ${b(f.unanswered)}`,
  ],
  [
    'formattingInjection',
    'Slack formatting',
    (f) =>
      `a customer named \`<!channel> *Evil* <@U123> <http://evil.example\\|click>\` in ${n(f.views)} views (${n(f.viewsNamingTheHostileCustomer)} naming it): slash answers, thread answers and the digest`,
    (f) => `active mentions/links/bold ${b(f.activeMarkup)}`,
  ],
  [
    'lmoFaults',
    'Salesforce faults',
    (f) =>
      `${n(f.commands)} commands with ${percent(f.unavailableRate, 1)} \`503 SERVER_UNAVAILABLE\` and ${percent(f.hangRate, 1)} hanging requests (the LMO answered ${n(f.lmoRequests503)} of its ${n(f.lmoApiRequests)} API requests with 503 and left ${n(f.lmoRequestsHung)} hanging); sessions expired ${n(f.sessionsExpiredMidRun)} times mid-run (${n(f.expiredSessionAnswers401)} requests refused as expired)`,
    (f) =>
      `answered with the licenses computed from the fixture ${b(percent(f.answeredCorrectly, f.commands))} (${n(f.answeredCorrectly)}/${n(f.commands)}), told "LMO unreachable, try again" ${n(f.toldLmoUnreachable)}, other answers ${b(f.otherAnswers)}, silent ${b(f.silent)}`,
  ],
  [
    'sessionExpiry',
    'Session expiry',
    (f) =>
      `${n(f.commands)} commands, session expired ${n(f.expiries)} times with answers in flight (${n(f.expiredSessionAnswers401)} requests refused as expired)`,
    (f) => `signed in again ${n(f.renewals)} times, user-visible failures ${b(f.userVisibleFailures)}`,
  ],
  [
    'requestLimit',
    '`REQUEST_LIMIT_EXCEEDED`',
    (f) => `${n(f.commands)} commands`,
    (f) =>
      `told the quota is spent ${n(f.toldQuotaSpent)}/${n(f.commands)}; ${b(f.lmoRequests)} request(s) reached Salesforce (no retry storm)`,
  ],
  [
    'slackRetries',
    'Slack faults',
    (f) =>
      `\`ratelimited\` + Retry-After on a thread answer and on the digest; a response_url answering 404/500; digest \`channel_not_found\` / \`not_in_channel\`; ${n(f.redeliveries)} event redeliveries with \`X-Slack-Retry-Num\``,
    (f) =>
      `waits and posts once; the user gets the answer as an ephemeral message and the error is logged; a log line names the fix; the redelivered mention answered ${b(f.mentionAnswers)} time(s), the redelivered guide reply took effect ${b(f.guideReplyEffects)} time(s)`,
  ],
  [
    'process',
    'Process',
    () =>
      'SIGKILL while posting the digest (before Slack has it, after Slack posted it, during its thread reply) and during an install-guide step, then restart on the same `DATA_DIR`; SIGTERM with a query in flight at the LMO',
    (f) =>
      `restarts tried ${b(f.restartsTried)}, data lost ${b(f.dataLost)}, duplicates ${b(f.duplicates)}; SIGTERM: the answer in flight arrives, exit 0, store closed cleanly`,
  ],
  [
    'replicas',
    'Replicas',
    (f) =>
      `two replicas of the compiled bot on one Postgres schema, Slack's requests alternating between them: both digest crons firing every 2 s (${n(f.digestRuns)} digest runs for ${n(f.digestChannels)} channels), an install guide driven through both (${n(f.guideSteps)} steps), ${n(f.licensesConverted)} license changes to alert, the replicas' Postgres connections terminated ${n(f.connectionsTerminated)} times between steps, Postgres unreachable and back; then SIGKILL of the replica holding a digest claim mid-post (${n(f.claimHoldersKilled)} killed)`,
    (f) =>
      `digests posted ${b(f.digestPosts)} for ${n(f.digestChannels)} channels, alerts posted ${b(f.alertsPosted)} for ${n(f.licensesConverted)} changes, each guide in the right step with every step once; after the kill the other replica finished the digest: posted ${b(f.digestPostsAfterKill)} time(s)`,
  ],
  [
    'load',
    'Load',
    (f) =>
      `${n(f.commands)} signed slash commands, ${n(f.concurrency)} concurrent; embedded LMO (own process) with ${n(f.licenses)} licenses and ${n(f.lmoLatencyMs)} ms latency per call`,
    (f) =>
      `acked ${b(f.acked)} (HTTP 200), answered ${b(f.answered)}, errors ${b(f.errors)}; ${n(f.lmoApiCalls)} Salesforce calls (the LMO's request log for the run); peak RSS of the test process (bot, fake Slack and driver) ${n(f.botProcessPeakRssMiB)} MiB. Timings, reported only: ack p50 ${ms(f.ackP50Ms)} / p99 ${ms(f.ackP99Ms)}, answer p50 ${ms(f.answerP50Ms)} / p99 ${ms(f.answerP99Ms)}, ${n(f.totalSeconds)} s in all`,
  ],
  [
    'secrets',
    'Secrets',
    (f) =>
      `${n(f.secretKindsHeld)} kinds of secret the runs really held (${n(f.secretValuesSearched)} values: bot token, signing secret, app token, client secret, refresh token, password, private key, access tokens, and every token the LMO issued), searched in ${n(f.placesSearched)} places over ${n(f.runs)} runs: in-process with faults, ${n(f.processes)} real processes (JWT, refresh-token, password and access-token flows, Socket Mode) at debug level — their output, every Slack call and message, \`/healthz\` — and configuration errors (${n(f.secretVariablesInConfigErrors)} secret variables)`,
    (f) => `leaks ${b(f.leaks)}`,
  ],
];

export function reliabilityTable(all: Record<string, Figures>): string {
  const lines = ['| Area | What is tried | Result |', '| --- | --- | --- |'];
  for (const [section, area, tried, result] of ROWS) {
    const f = all[section];
    lines.push(f ? `| ${area} | ${tried(f)} | ${result(f)} |` : `| ${area} | not measured in this run | — |`);
  }
  const known = new Set(ROWS.map(([section]) => section));
  for (const [section, f] of Object.entries(all)) {
    if (known.has(section)) continue;
    const figures = Object.entries(f)
      .filter(([key]) => key !== 'recordedAt')
      .map(([key, value]) => `${key} ${b(value)}`);
    lines.push(`| ${section} | (figures as recorded) | ${figures.join(', ')} |`);
  }
  const dates = Object.values(all)
    .map((f) => String(f.recordedAt ?? ''))
    .filter(Boolean)
    .sort();
  lines.push(
    '',
    `Figures of the run recorded ${dates[0]?.slice(0, 16) ?? '?'}Z to ${dates.at(-1)?.slice(0, 16) ?? '?'}Z.`,
  );
  return lines.join('\n');
}

if (process.argv[1] === import.meta.filename) {
  const all = JSON.parse(readFileSync(join(ROOT, 'test-artifacts', 'reliability.json'), 'utf8')) as Record<
    string,
    Figures
  >;
  const readme = readFileSync(README, 'utf8');
  const from = readme.indexOf(START);
  const to = readme.indexOf(END);
  if (from < 0 || to < from) throw new Error(`README.md has no ${START} … ${END} block`);
  writeFileSync(README, `${readme.slice(0, from + START.length)}\n\n${reliabilityTable(all)}\n\n${readme.slice(to)}`);
  console.log('README.md: Reliability table written from test-artifacts/reliability.json');
}
