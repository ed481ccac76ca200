/** "Share in channel": re-runs the command on an ephemeral answer as a new message for everyone. */
import type { ActionHandler } from '../../app/runtime.js';
import { type CommandSpec, type ParseContext, parseCommand } from '../../parse/index.js';
import { context, sendWithFallback } from '../../slack/blocks.js';
import { userMention } from '../../slack/ids.js';
import { ACTION_SHARE } from '../../slack/licenses.js';
import { outOfDateView } from '../../slack/messages.js';
import type { Answerer, LicenseQuestion } from './answerer.js';

export function shareButton(
  answerer: Answerer,
  commands: readonly CommandSpec[],
  parseContext: () => ParseContext,
): ActionHandler {
  return {
    id: ACTION_SHARE,
    async handle({ body, action, respond, tell, client }) {
      const parsed = parseCommand(action.value ?? '', parseContext(), commands);
      // Only this bot writes a share button's value: one that does not parse is from an older version.
      if (!parsed.ok) return tell(outOfDateView());
      // `mine` re-run for the one who clicked: the asker, since only they saw the answer.
      const asker = body.user?.id ? { userId: body.user.id, client } : undefined;
      const { view } = await answerer.answer(parsed.request as LicenseQuestion, asker && { asker });
      // A new message for everyone; the asker's ephemeral copy stays where it was.
      const by = userMention(body.user?.id);
      const shared = {
        text: by ? `${by} shared: ${view.text}` : `Shared: ${view.text}`,
        blocks: [context(by ? `Shared by ${by}` : 'Shared from an answer'), ...view.blocks],
      };
      await sendWithFallback(shared, (v) => respond({ response_type: 'in_channel', replace_original: false, ...v }));
    },
  };
}
