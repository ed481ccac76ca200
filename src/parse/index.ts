/** The one grammar: `/lma …` commands and free-text questions → typed LMA requests. */
export type { ParseContext } from './context.js';
export { parseCommand } from './command.js';
export { parseQuestion } from './question.js';
export { COMMAND_USAGE, QUESTION_EXAMPLES, type CommandName } from './usage.js';
