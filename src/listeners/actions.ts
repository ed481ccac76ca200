/**
 * Buttons on answers: "Share in channel" re-runs the command for everyone; a customer pick answers for that customer.
 */
import type { App, BlockButtonAction } from '@slack/bolt';
import { isAllowed } from '../access.js';
import { isQuestion } from '../answer.js';
import type { CustomerFocus } from '../lma/service.js';
import { parseCommand } from '../parse/index.js';
import { ACTION_PICK_CUSTOMER, ACTION_SHARE } from '../views/answers.js';
import { refusalView, unexpectedFailureView } from '../views/messages.js';
import type { AppDeps } from '../app.js';

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
    await respond({ response_type: 'in_channel', delete_original: true, ...view, text: `<@${body.user.id}> shared: ${view.text}` });
  });

  app.action<BlockButtonAction>(new RegExp(`^${ACTION_PICK_CUSTOMER}_\\d+$`), async ({ ack, body, action, respond }) => {
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
    const { view } = await deps.answerer.aboutCustomer(pick.name, pick.focus, { shareCommand: `status ${pick.name}` });
    await respond({ response_type: 'ephemeral', replace_original: true, ...view });
  });
}
