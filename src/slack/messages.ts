/**
 * The bot's own messages every feature shares: usage errors, failures and refusals. Each failure says what happened
 * and what to do.
 */
import { LmoError } from '../lma/client.js';
import type { BotLogger } from '../logger.js';
import { type ParseFailure, QUESTION_EXAMPLES } from '../parse/index.js';
import { StoreUnavailableError } from '../store/store.js';
import { context, escapeEntities, escapeText, notice, type SlackView, section } from './blocks.js';

/** Bad input: what was wrong and the usage that works. Nothing was queried. */
export function usageView(failure: ParseFailure): SlackView {
  const understood = failure.understood ? `\nI understood ${escapeText(failure.understood)}.` : '';
  const usage = failure.usage ? `\nUsage: \`${escapeEntities(failure.usage)}\`` : '';
  const examples =
    failure.understood !== undefined || !failure.usage
      ? `\nTry: ${QUESTION_EXAMPLES.slice(0, 3)
          .map((q) => `_${escapeText(q)}_`)
          .join(' · ')}`
      : '';
  const text = `${escapeText(failure.problem)}${understood}${usage}${examples}`;
  return {
    text: escapeText(`${failure.problem}${failure.usage ? ` Usage: ${failure.usage}` : ''}`),
    blocks: [section(`:thinking_face: ${text}`), context('`/lma help` shows everything I can do.')],
  };
}

const FAILURES: Record<LmoError['kind'], { what: string; todo: string }> = {
  unreachable: {
    what: 'The License Management Org could not be reached (LMO unreachable).',
    todo: 'Try again in a minute. If it keeps failing, check https://status.salesforce.com and the bot’s network access.',
  },
  timeout: {
    what: 'The License Management Org did not answer in time (LMO unreachable or slow).',
    todo: 'Try again in a minute, or narrow the question (a package, a shorter window).',
  },
  request_limit: {
    what: 'The LMO org has used up its daily Salesforce API requests (REQUEST_LIMIT_EXCEEDED).',
    todo: 'Answers resume when the 24-hour quota frees up; an admin can check it under Setup → Company Information.',
  },
  auth: {
    what: 'The bot could not sign in to the LMO: its Salesforce credentials are expired or were revoked.',
    todo: 'Ask the bot’s admin to re-authenticate (renew the SF_* credentials in the bot’s configuration) and restart it.',
  },
  not_installed: {
    what: 'The connected Salesforce org has no License Management App.',
    todo: 'Point the bot at your License Management Org, or run `/lma install` for the guided LMA installation. If the LMA is installed, give the bot’s integration user a permission set with Read on License.',
  },
  no_history: {
    what: 'The LMO does not track field history on licenses.',
    todo: 'Enable history tracking on the License object’s Status field (Setup → Object Manager → License).',
  },
  permission: {
    what: 'The bot’s Salesforce user cannot read what this answer needs.',
    todo: 'Ask the bot’s admin to grant it (the message below names the fields).',
  },
  query: {
    what: 'The LMO rejected the bot’s query. This is a bug in LMA Bot, not something you did.',
    todo: 'Try a different question; the error was logged for the bot’s admin.',
  },
};

export function failureView(error: LmoError): SlackView {
  const { what } = FAILURES[error.kind];
  // A permission failure's own message names the fields and how to grant them.
  const todo = error.kind === 'permission' ? error.message : FAILURES[error.kind].todo;
  return { text: `${what} ${todo}`, blocks: [section(`:warning: *${what}*\n${todo}`)] };
}

/**
 * What to tell someone when `what` ("answering renewals") threw: an LMO failure explained (logged as a warning), or
 * anything else as "something went wrong" (logged as an error, with its details kept out of Slack).
 */
export function explainFailure(error: unknown, what: string, logger: BotLogger): SlackView {
  if (error instanceof LmoError) {
    logger.warn(`LMO ${error.kind} while ${what}: ${error.code ?? ''} ${error.message}`);
    return failureView(error);
  }
  if (error instanceof StoreUnavailableError) {
    logger.warn(`Store unavailable while ${what}: ${error.message}`);
    return storeUnavailableView();
  }
  logger.error(`Unexpected failure while ${what}:`, error);
  return unexpectedFailureView();
}

/** The bot's own database is down: what needs it waits, the rest still works. */
export function storeUnavailableView(): SlackView {
  const what =
    'I cannot reach my database right now, and this needs it (it keeps install guides, alerts and the digest).';
  const todo =
    'Nothing was changed. Try again in a few minutes; questions about licenses (`/lma status`, `/lma renewals`…) still work meanwhile. If it lasts, tell the bot’s admin: the store (DATABASE_URL) is unreachable and `/readyz` says why.';
  return { text: `${what} ${todo}`, blocks: [section(`:warning: *${what}*\n${todo}`)] };
}

/** Something unexpected broke while answering: say so without details (they are in the log). */
export function unexpectedFailureView(): SlackView {
  const text = 'Something went wrong while answering. The error was logged for the bot’s admin; please try again.';
  return notice('warning', text);
}

/** A click whose button (or a message shortcut) this version no longer knows, or whose value is not one it wrote. */
export function outOfDateView(what: 'button' | 'shortcut' = 'button'): SlackView {
  return notice('hourglass', `This ${what} is out of date — run the command again.`);
}

/** For people or channels not allowed to see license data: polite and naming no data. */
export function refusalView(): SlackView {
  const text =
    'Sorry, license data is only available to the people and channels this bot was set up for. Ask the bot’s admin for access.';
  return notice('lock', text);
}
