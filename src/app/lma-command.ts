/**
 * The `/lma` slash command: acked at once, access checked, then parsed with the command table the features declare
 * and handed to the one feature that owns the request's kind. A subcommand without a handler is a question: answered
 * privately, with "Share in channel".
 */
import type { App } from '@slack/bolt';
import { addLogContext, type BotLogger } from '../logger.js';
import { parseCommand, type Question } from '../parse/index.js';
import type { AccessPolicy } from '../slack/access.js';
import { cutText, SLACK_LIMITS } from '../slack/limits.js';
import { usageView } from '../slack/messages.js';
import { ackFirst, allowedOnly, TELL, tellWhereTheyActed } from './middleware.js';
import type { Registry } from './registry.js';
import type { BotRuntime } from './runtime.js';

export interface LmaCommandDeps {
  registry: Registry;
  parseContext: BotRuntime['parseContext'];
  access: AccessPolicy;
  logger: BotLogger;
}

export function registerLmaCommand(app: App, deps: LmaCommandDeps): void {
  const { registry, logger } = deps;
  app.command(
    '/lma',
    ackFirst,
    tellWhereTheyActed(logger),
    allowedOnly(deps.access, logger),
    async ({ command, client, context }) => {
      const tell = TELL.get(context)!;
      const text = cutText(command.text, SLACK_LIMITS.messageText);
      const parsed = parseCommand(text, deps.parseContext(), registry.commands);
      if (!parsed.ok) return tell(usageView(parsed.failure));
      const { request } = parsed;
      addLogContext({ kind: request.kind });
      const subcommand = registry.command(request.kind)!;
      if (subcommand.handle) return subcommand.handle(request, { command, client, tell });
      const { view } = await registry.ask(request as Question, {
        shareCommand: text.trim(),
        asker: { userId: command.user_id, client },
      });
      await tell(view);
    },
  );
}
