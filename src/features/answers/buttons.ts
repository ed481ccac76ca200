/**
 * Buttons on answers: "Share in channel" re-runs the command for everyone; a customer pick answers for that customer.
 */
import type { App, BlockButtonAction } from '@slack/bolt';
import { isAllowed } from '../access.js';
import { isQuestion } from '../answer.js';
import type { AppDeps } from '../app.js';
import type { CustomerFocus } from '../lma/service.js';
import { parseCommand } from '../parse/index.js';
import { ACTION_PICK_CUSTOMER, ACTION_SHARE } from '../views/answers.js';
import { context } from '../views/blocks.js';
import { refusalView, unexpectedFailureView } from '../views/messages.js';

export function registerActions(app: App, deps: AppDeps): void {
  app.action<BlockButtonAction>(ACTION_SHARE, async ({ ack, body, action, respond }) => {
    await ack();
    if (!isAllowed(deps.access, body.user.id, body.channel?.id)) {
      await respond({ response_type: 'ephemeral', replace_original: false, ...refusalView() });
      return;
    }
    const parsed = parseCommand(action.value ?? '', deps.parseContext());
    if (!parsed.ok || !isQuestion(parsed.request)) {
      await respond({ response_type: 'ephemeral', replace_original: false, ...unexpectedFailureView() });
      return;
    }
    const { view } = await deps.answerer.answer(parsed.request);
    // A new message for everyone; the asker's ephemeral copy stays where it was.
    await respond({
      response_type: 'in_channel',
      replace_original: false,
      text: `<@${body.user.id}> shared: ${view.text}`,
      blocks: [context(`Shared by <@${body.user.id}>`), ...view.blocks],
    });
  });

  app.action<BlockButtonAction>(
    new RegExp(`^${ACTION_PICK_CUSTOMER}_\\d+$`),
    async ({ ack, body, action, respond }) => {
      await ack();
      if (!isAllowed(deps.access, body.user.id, body.channel?.id)) {
        await respond({ response_type: 'ephemeral', replace_original: false, ...refusalView() });
        return;
      }
      let pick: { name: string; focus: CustomerFocus };
      try {
        pick = JSON.parse(action.value ?? '');
      } catch {
        await respond({ response_type: 'ephemeral', replace_original: false, ...unexpectedFailureView() });
        return;
      }
      // A list everyone sees (a thread answer) is answered for everyone, compact; an ephemeral one for the picker.
      const shared = body.container.is_ephemeral === false;
      const { view } = await deps.answerer.aboutCustomer(
        pick.name,
        pick.focus,
        shared ? { compact: true } : { shareCommand: `status ${pick.name}` },
      );
      await respond({ response_type: shared ? 'in_channel' : 'ephemeral', replace_original: true, ...view });
    },
  );
}
