/**
 * The `/lma` slash command: ack at once, then parse → answer → respond (ephemeral, with "Share in channel").
 */
import type { App, RespondFn, SlashCommand, webApi } from '@slack/bolt';
import { isAllowed } from '../access.js';
import { isQuestion } from '../answer.js';
import type { LmaRequest } from '../lma/requests.js';
import { parseCommand } from '../parse/index.js';
import { refusalView, usageView, unexpectedFailureView } from '../views/messages.js';
import type { AppDeps } from '../app.js';

export interface CommandContext {
  request: LmaRequest;
  command: SlashCommand;
  respond: RespondFn;
  client: webApi.WebClient;
}

export type CommandHandler = (ctx: CommandContext) => Promise<void>;

export function registerCommands(app: App, deps: AppDeps): void {
  app.command('/lma', async ({ command, ack, respond, client }) => {
    await ack();
    try {
      if (!isAllowed(deps.access, command.user_id, command.channel_id)) {
        await respond({ response_type: 'ephemeral', ...refusalView() });
        return;
      }
      const parsed = parseCommand(command.text ?? '', deps.parseContext());
      if (!parsed.ok) {
        await respond({ response_type: 'ephemeral', ...usageView(parsed.failure) });
        return;
      }
      const { request } = parsed;
      const handler = deps.commandHandlers?.[request.kind];
      if (handler) {
        await handler({ request, command, respond, client });
        return;
      }
      if (!isQuestion(request)) {
        await respond({ response_type: 'ephemeral', ...usageView({ problem: `\`/lma ${request.kind}\` is not available in this installation.` }) });
        return;
      }
      const { view } = await deps.answerer.answer(request, { shareCommand: command.text?.trim() });
      await respond({ response_type: 'ephemeral', ...view });
    } catch (error) {
      deps.logger.error('The /lma command failed:', error);
      await respond({ response_type: 'ephemeral', ...unexpectedFailureView() }).catch((e) => deps.logger.error('Could not tell the user about the failure:', e));
    }
  });
}
