/**
 * The `/lma` slash command: ack at once, then parse → answer → respond (ephemeral, with "Share in channel").
 */
import type { App, RespondFn, SlashCommand, types, webApi } from '@slack/bolt';
import { isAllowed } from '../access.js';
import { isQuestion } from '../answer.js';
import type { AppDeps } from '../app.js';
import type { LmaRequest } from '../lma/requests.js';
import type { BotLogger } from '../logger.js';
import { parseCommand } from '../parse/index.js';
import { refusalView, unexpectedFailureView, usageView } from '../views/messages.js';

export interface CommandContext {
  request: LmaRequest;
  command: SlashCommand;
  respond: RespondFn;
  client: webApi.WebClient;
}

export type CommandHandler = (ctx: CommandContext) => Promise<void>;

export function registerCommands(app: App, deps: AppDeps): void {
  app.command('/lma', async ({ command, ack, respond: viaResponseUrl, client }) => {
    await ack();
    const respond = withEphemeralFallback(viaResponseUrl, client, command, deps.logger);
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
        await respond({
          response_type: 'ephemeral',
          ...usageView({ problem: `\`/lma ${request.kind}\` is not available in this installation.` }),
        });
        return;
      }
      const { view } = await deps.answerer.answer(request, { shareCommand: command.text?.trim() });
      await respond({ response_type: 'ephemeral', ...view });
    } catch (error) {
      deps.logger.error('The /lma command failed:', error);
      await respond({ response_type: 'ephemeral', ...unexpectedFailureView() }).catch((e) =>
        deps.logger.error('Could not tell the user about the failure:', e),
      );
    }
  });
}

/**
 * A response_url can fail (expired, used up, Slack having trouble): the error is logged and the answer goes to the
 * user as an ephemeral message through the Web API instead, which works wherever the bot is in the channel.
 */
function withEphemeralFallback(
  respond: RespondFn,
  client: webApi.WebClient,
  command: SlashCommand,
  logger: BotLogger,
): RespondFn {
  return async (message) => {
    try {
      return await respond(message);
    } catch (error) {
      logger.error(
        `Could not answer /lma through its response_url (${error instanceof Error ? error.message : String(error)}); sending it with chat.postEphemeral instead.`,
      );
      // Our answers are always text plus Block Kit blocks.
      const content = (typeof message === 'string' ? { text: message } : message) as {
        text?: string;
        blocks?: types.KnownBlock[];
      };
      await client.chat.postEphemeral({
        channel: command.channel_id,
        user: command.user_id,
        text: content.text ?? '',
        ...(content.blocks ? { blocks: content.blocks } : {}),
      });
      return { status: 200 } as Awaited<ReturnType<RespondFn>>;
    }
  };
}
