/** The one grammar: `/lma …` commands and free-text questions → typed requests. */

export { accept, type CommandArgs, readCustomer, readHealth, readNothing, readWindowed, refuse } from './args.js';
export { allCommandsUsage, type CommandSpec, parseCommand } from './command.js';
export { MAX_TEXT_LENGTH, type ParseContext } from './context.js';
export { requireIsoDate } from './dates.js';
export { QUESTION_EXAMPLES } from './examples.js';
export { parseQuestion } from './question.js';
export {
  type CustomerRef,
  type ParseFailure,
  type ParseResult,
  QUESTION_KINDS,
  type Question,
  type QuestionKind,
} from './requests.js';
export { windowForDays } from './window.js';
