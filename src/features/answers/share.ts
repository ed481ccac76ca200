/** "Share in channel": re-runs the command on an ephemeral answer as a new message for everyone. */
import type { ActionHandler } from '../../app/runtime.js';
import { type CommandSpec, type ParseContext, parseCommand } from '../../parse/index.js';
import { context } from '../../slack/blocks.js';
import { ACTION_SHARE } from '../../slack/licenses.js';
import { unexpectedFailureView } from '../../slack/messages.js';
import type { Answerer, LicenseQuestion } from './answerer.js';

export function shareButton(
  answerer: Answerer,
  commands: readonly CommandSpec[],
  parseContext: () => ParseContext,
): ActionHandler {
  return {
    id: ACTION_SHARE,
    async handle({ body, action, respond, tell }) {
      const parsed = parseCommand(action.value ?? '', parseContext(), commands);
      if (!parsed.ok) return tell(unexpectedFailureView());
      const { view } = await answerer.answer(parsed.request as LicenseQuestion);
      // A new message for everyone; the asker's ephemeral copy stays where it was.
      await respond({
        response_type: 'in_channel',
        replace_original: false,
        text: `<@${body.user.id}> shared: ${view.text}`,
        blocks: [context(`Shared by <@${body.user.id}>`), ...view.blocks],
      });
    },
  };
}
