/** The `/lma` subcommands that are questions about licenses: their words and argument grammars. */
import type { Subcommand } from '../../app/runtime.js';
import { accept, readCustomer, readWindowed, refuse } from '../../parse/index.js';

export const ANSWER_COMMANDS: Subcommand[] = [
  {
    name: 'status',
    usage: '/lma status <customer>',
    example: '/lma status Acme',
    summary:
      'Every license of a customer (account or lead company, org id 00D…, or license id): version, status, seats, expiration.',
    takesPackage: true,
    parse: (args) => {
      const customer = readCustomer(args);
      if (customer === undefined)
        return refuse(
          'Tell me which customer: an account name or part of it, a lead company, an org id (00D…) or a license id.',
        );
      return accept({ kind: 'status', customer, ...(args.package !== undefined && { package: args.package }) });
    },
  },
  {
    name: 'trials',
    aliases: ['trial'],
    usage: '/lma trials [days] [package] [mine]',
    example: '/lma trials 14 Invoicer',
    summary: 'Trials on now, soonest to expire first; with days, only those expiring within them.',
    takesPackage: true,
    parse: (args, ctx) => readWindowed('trials', args, ctx),
  },
  {
    name: 'conversions',
    aliases: ['conversion'],
    usage: '/lma conversions [days] [package]',
    example: '/lma conversions 90',
    summary: 'Trials converted to paid in the last N days (default 30), with the conversion rate.',
    takesPackage: true,
    parse: (args, ctx) => readWindowed('conversions', args, ctx),
  },
  {
    name: 'renewals',
    aliases: ['renewal'],
    usage: '/lma renewals [days] [package] [mine]',
    example: '/lma renewals 60 package:Invoicer',
    summary: 'Paid licenses expiring in the next N days (default 30), soonest first, with seats and owner.',
    takesPackage: true,
    parse: (args, ctx) => readWindowed('renewals', args, ctx),
  },
];
