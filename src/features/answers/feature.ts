/**
 * Questions about licenses — status, trials, renewals, conversions, seats, versions — answered from the LMO wherever
 * they are asked: `/lma` subcommands, questions in threads (through the conversation), and the buttons on answers.
 */
import type { Answers, FeatureFactory } from '../../app/runtime.js';
import { ANSWER_DEADLINE_MS } from '../../lma/client.js';
import { Answerer, type AnswererDeps, type LicenseQuestion } from './answerer.js';
import { ANSWER_COMMANDS } from './commands.js';
import { EXPORT_DEADLINE_MS, exportButton } from './export.js';
import { pageButton } from './page-button.js';
import { pickButton } from './pick.js';
import { shareButton } from './share.js';

export const answersFeature: FeatureFactory = (runtime) => {
  const deps: AnswererDeps = {
    service: runtime.service,
    owners: runtime.owners,
    logger: runtime.logger,
    clock: runtime.clock,
    timezone: runtime.config.timezone,
    lmo: runtime.lmo,
    // An answer's queries asked for side by side (a list's rows and its totals) go in one composite call.
    withinDeadline: (run) => runtime.client.withDeadline(ANSWER_DEADLINE_MS, () => runtime.client.together(run)),
    timed: (kind, run) => runtime.metrics.timed(kind, run),
    statusChangeCounts: runtime.statusChangeCounts,
  };
  const answerer = new Answerer(deps);
  const answers: Answers<LicenseQuestion> = {
    kinds: ['status', 'trials', 'conversions', 'renewals', 'seats', 'version'],
    answer: (request, ctx) => answerer.answer(request, ctx),
  };
  return {
    name: 'answers',
    commands: ANSWER_COMMANDS,
    answers,
    actions: [
      shareButton(answerer, ANSWER_COMMANDS, runtime.parseContext),
      pickButton(answerer, runtime.store.threadContext, runtime.clock),
      pageButton(answerer),
      exportButton(deps, (run) => runtime.client.withDeadline(EXPORT_DEADLINE_MS, run), {
        lowUse: runtime.config.health.lowUse,
      }),
    ],
    help: () => [
      'Long lists: `/lma renewals 90` or `/lma trials` show 20 rows a page; *Next ▶* and *◀ Previous* turn the pages in place, and *Export CSV* on any list sends you every row as a file in a DM (`/lma renewals 365 mine`, then Export CSV: your renewals for the year in a spreadsheet).',
    ],
  };
};
