/** Next and Previous on a long list: the page the button names, in place of the message. */
import type { ActionHandler } from '../../app/runtime.js';
import { sendWithFallback } from '../../slack/blocks.js';
import { pageSize } from '../../slack/licenses.js';
import { outOfDateView } from '../../slack/messages.js';
import type { Answerer } from './answerer.js';
import { ACTION_PAGE, decodeList, questionOf } from './paging.js';

/** For the one who clicked (`mine` is theirs): a list everyone sees turns for everyone. */
export function pageButton(answerer: Answerer): ActionHandler {
  return {
    id: { prefix: ACTION_PAGE },
    async handle({ body, action, respond, tell, client }) {
      const read = decodeList(action.value);
      const question = read && questionOf(read.list);
      if (!read?.page || !question) return tell(outOfDateView());
      const { list, page } = read;
      const asker = body.user?.id ? { userId: body.user.id, client } : undefined;
      const { view } = await answerer.answer(
        question,
        { compact: list.compact, shareCommand: list.share, ...(asker && { asker }) },
        { ...page, size: pageSize({ compact: list.compact }) },
      );
      await sendWithFallback(view, (v) => respond({ replace_original: true, ...v }));
    },
  };
}
