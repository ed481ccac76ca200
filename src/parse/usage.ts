/** The words help and error messages show: one usage line per command, each with a real example. */

export type CommandName = 'status' | 'trials' | 'conversions' | 'renewals' | 'install' | 'digest' | 'help';

export const COMMAND_USAGE: Record<CommandName, { usage: string; example: string; summary: string }> = {
  status: {
    usage: '/lma status <customer>',
    example: '/lma status Acme',
    summary:
      'Every license of a customer (account or lead company, org id 00D…, or license id): version, status, seats, expiration.',
  },
  trials: {
    usage: '/lma trials [days] [package]',
    example: '/lma trials 14 Invoicer',
    summary: 'Trials on now, soonest to expire first; with days, only those expiring within them.',
  },
  conversions: {
    usage: '/lma conversions [days] [package]',
    example: '/lma conversions 90',
    summary: 'Trials converted to paid in the last N days (default 30), with the conversion rate.',
  },
  renewals: {
    usage: '/lma renewals [days] [package]',
    example: '/lma renewals 60 package:Invoicer',
    summary: 'Paid licenses expiring in the next N days (default 30), soonest first, with seats and owner.',
  },
  install: {
    usage: '/lma install',
    example: '/lma install',
    summary: 'A guided walk, in a thread, through installing the License Management App in the right org.',
  },
  digest: {
    usage: '/lma digest [post]',
    example: '/lma digest post',
    summary: "Preview today's digest; with post, post it to the digest channel now.",
  },
  help: {
    usage: '/lma help',
    example: '/lma help',
    summary: 'What the bot can do, with examples.',
  },
};

export const COMMAND_NAMES = Object.keys(COMMAND_USAGE) as CommandName[];

/** Every command's usage, one per line, for "unknown command" answers. */
export function allCommandsUsage(): string {
  return COMMAND_NAMES.map((name) => COMMAND_USAGE[name].usage).join('\n');
}

/** Questions the bot understands when mentioned or asked in a thread, for help and for unmapped questions. */
export const QUESTION_EXAMPLES: string[] = [
  "What's the status of Acme?",
  'When does Acme renew?',
  "What's up for renewal in the next 60 days?",
  'Which trials end this week?',
  'How many trials converted last month?',
  'How many seats does Acme use?',
  'Who is over their seats?',
  'Which version is Acme on?',
  'Who is still on 1.x of Invoicer?',
];
