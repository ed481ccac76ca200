/**
 * Sales reps ask in threads: "@LMA when does Acme renew?" anywhere, plain replies in threads where the bot has spoken
 * (an answer, a digest), and direct messages. This feature holds the conversation: it decides which messages are
 * questions (route.ts), and answers them in the thread, for everyone in it, through the feature that answers each kind.
 */
import type { Conversation, FeatureFactory } from '../../app/runtime.js';
import { replyTo } from './reply.js';
import { routeQuestion, type ThreadQuestion } from './route.js';

export const threadsFeature: FeatureFactory = (runtime) => {
  const { store, logger, clock } = runtime;
  const conversation: Conversation<ThreadQuestion> = {
    route: routeQuestion,
    async handle(question, { tell, ask, client }) {
      const reply = await replyTo(question, {
        ask,
        client,
        parseContext: runtime.parseContext,
        context: store.threadContext,
        clock,
      });
      if ('silent' in reply) return logger.debug(`threads: not answering ${reply.silent}`);
      await tell(reply.view);
      // Written once the answer is out, side by side, not before it (with Postgres, round trips the asker waited
      // for): the customer for the thread's follow-ups, and that the bot has spoken in this thread, so that plain
      // replies there are questions for it too.
      const now = clock();
      await Promise.all([
        reply.customer !== undefined &&
          store.threadContext.remember(question.channel, question.contextKey, reply.customer, now),
        question.replyThreadTs !== undefined &&
          store.threads.mark(question.channel, question.replyThreadTs, 'answer', now),
      ]);
    },
  };
  return { name: 'threads', conversation };
};
