/**
 * A question in a thread → the view to post: the one grammar, follow-ups resolved from the thread's context, answered
 * by the feature that answers its kind with compact views. Never throws for a bad question; it explains.
 */
import type { Ask, WebClient } from '../../app/runtime.js';
import { type ParseContext, type ParseFailure, parseQuestion, type Question } from '../../parse/index.js';
import { cleanSlackText } from '../../parse/tokens.js';
import type { SlackView } from '../../slack/blocks.js';
import { usageView } from '../../slack/messages.js';
import type { ThreadContexts } from '../../store/store.js';
import type { ThreadQuestion } from './route.js';

export interface ReplyDeps {
  ask: Ask;
  /** Looks the asker up for "my" questions. */
  client: WebClient;
  parseContext: () => ParseContext;
  context: ThreadContexts;
  clock: () => Date;
}

/**
 * What to post, or nothing: a reply in a thread that is plainly people talking to each other stays unanswered.
 * `customer`: the one the answer is about, for the thread's follow-ups (remembered once the answer is posted).
 */
export type Reply = { view: SlackView; customer?: string } | { silent: string };

export async function replyTo(question: ThreadQuestion, deps: ReplyDeps): Promise<Reply> {
  const parsed = parseQuestion(question.text, deps.parseContext());
  if (!parsed.ok) {
    if (!addressedToBot(question, parsed.failure)) return { silent: 'a thread reply that is not a question' };
    return { view: usageView(parsed.failure) };
  }
  const resolved = await resolveFollowUp(parsed.request, question, deps);
  if ('view' in resolved) return resolved;
  const answered = await deps.ask(resolved.request, {
    compact: true,
    asker: { userId: question.user, client: deps.client },
  });
  return { view: answered.view, customer: answered.customer };
}

/**
 * Mentions and DMs always get an answer. In a thread the bot is only listening in, an unmappable reply gets
 * one when it reads as meant for the bot: a question, or one where part was understood ("trials for").
 */
function addressedToBot(question: ThreadQuestion, failure: ParseFailure): boolean {
  return question.via !== 'thread' || failure.understood !== undefined || cleanSlackText(question.text).includes('?');
}

/** "and their seats?" → seats of the customer last answered about in this thread; unknown → ask which one. */
async function resolveFollowUp(
  request: Question,
  question: ThreadQuestion,
  deps: ReplyDeps,
): Promise<{ request: Question } | { view: SlackView }> {
  if (!('customer' in request) || request.customer === undefined || 'term' in request.customer) return { request };
  const term = await deps.context.last(question.channel, question.contextKey, deps.clock());
  if (term === undefined) {
    return {
      view: usageView({
        problem: "Which customer do you mean? I haven't answered about a customer here yet; please name one.",
        understood: `a follow-up question about ${request.kind}`,
      }),
    };
  }
  return { request: { ...request, customer: { term } } };
}
