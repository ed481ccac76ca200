/** Questions the bot understands when mentioned or asked in a thread, for help and for unmapped questions. */
export const QUESTION_EXAMPLES: string[] = [
  "What's the status of Acme?",
  'When does Acme renew?',
  "What's up for renewal in the next 60 days?",
  'Which trials end this week?',
  'How many trials converted last month?',
  'How many seats does Acme use?',
  'Who is over their seats?',
  'Who is at risk?',
  'Which trials are hot?',
  'Which version is Acme on?',
  'Who is still on 1.x of Invoicer?',
];
