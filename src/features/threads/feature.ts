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
      // Now the bot has spoken in this thread: plain replies there are questions for it too.
      if (question.replyThreadTs !== undefined)
        await store.threads.mark(question.channel, question.replyThreadTs, 'answer', clock());
    },
  };
  return { name: 'threads', conversation };
};
