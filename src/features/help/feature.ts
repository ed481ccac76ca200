/**
 * Help, built like every other feature: it owns `/lma help` (and `/lma` alone) and the "help" question in threads,
 * and shows what the catalog holds — every feature's subcommands and help lines — so it knows none of them.
 */
import type { Answers, FeatureFactory } from '../../app/runtime.js';
import { accept, type Question } from '../../parse/index.js';
import { helpView } from './view.js';

type HelpQuestion = Extract<Question, { kind: 'help' }>;

export const helpFeature: FeatureFactory = (runtime) => {
  const answers: Answers<HelpQuestion> = {
    kinds: ['help'],
    answer: async (request, { catalog }) => ({
      view: helpView(
        {
          lmoLabel: runtime.lmo.label(),
          timezone: runtime.config.timezone,
          commands: catalog.commands,
          notes: catalog.notes(),
        },
        request.topic,
      ),
    }),
  };
  return {
    name: 'help',
    commands: [
      {
        name: 'help',
        aliases: ['?'],
        usage: '/lma help',
        example: '/lma help',
        summary: 'What the bot can do, with examples.',
        parse: () => accept({ kind: 'help' }),
      },
    ],
    answers,
  };
};
