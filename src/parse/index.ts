/** The one grammar: `/lma …` commands and free-text questions → typed LMA requests. */

export { parseCommand } from './command.js';
export type { ParseContext } from './context.js';
export { parseQuestion } from './question.js';
export { COMMAND_USAGE, type CommandName, QUESTION_EXAMPLES } from './usage.js';
