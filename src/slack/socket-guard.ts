/**
 * The request guard's counterpart for Socket Mode (src/slack/request-guard.ts guards HTTP): each message on the
 * connection is read against Slack's shapes (readSocketMessage) before the Socket Mode client dispatches it. The
 * client dereferences an `events_api` message's `payload.event.type` unchecked (without one, it rejects a promise
 * nobody handles) and re-emits any other type under its own name (a message of type `close` or `ws_message` poses as
 * the connection's own events); Bolt answers a mis-shaped payload with an error log and no acknowledgement, and a
 * type nobody listens to with none, so Slack delivers it again. So:
 * - the connection's own messages and well-formed payloads the app owns go on to the client;
 * - a mis-shaped payload is acknowledged and logged once at `warn`; an unowned one is acknowledged quietly;
 * - anything else (not JSON, no type, no envelope id to acknowledge) is dropped, at `debug`.
 */
import type { SocketModeReceiver } from '@slack/bolt';
import type { BotLogger } from '../logger.js';
import { type Owned, readSocketMessage, type SocketMessage } from './envelope.js';

type SocketModeClient = SocketModeReceiver['client'];
type Dispatch = (data: unknown, isBinary: boolean) => void;

export function guardSocketMessages(
  client: SocketModeClient,
  options: { owned: Owned; maxBytes: number; logger: Pick<BotLogger, 'warn' | 'debug'> },
): void {
  const { logger } = options;
  // The client's own handler, on the event its connection emits for each message.
  const dispatch = client.listeners('ws_message') as Dispatch[];
  client.removeAllListeners('ws_message');
  const acknowledge = (envelopeId: string) =>
    client.websocket?.send(JSON.stringify({ envelope_id: envelopeId, payload: {} }), (error) => {
      if (error) logger.warn(`Could not acknowledge a Socket Mode message: ${error.message}`);
    });
  client.on('ws_message', (data: unknown, isBinary: boolean) => {
    // Slack sends text frames only.
    const message: SocketMessage =
      typeof data === 'string' ? readSocketMessage(data, options.owned, options.maxBytes) : { kind: 'not-slack' };
    switch (message.kind) {
      case 'connection':
      case 'ok':
        for (const handle of dispatch) handle(data, isBinary);
        return;
      case 'misshaped':
        logger.warn(
          `Ignored a ${message.type} payload on the Socket Mode connection that is not shaped as Slack sends it.`,
        );
        return acknowledge(message.envelopeId);
      case 'unowned':
        return acknowledge(message.envelopeId);
      default:
        logger.debug('Ignored a Socket Mode message that is no Slack envelope.');
    }
  });
}
