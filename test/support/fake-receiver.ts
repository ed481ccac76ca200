/**
 * A receiver that hands bodies straight to Bolt, as bolt-js's own tests do (`app.processEvent`): no HTTP, no
 * signature, so a listener test takes milliseconds. Beside the end-to-end tests through the real HTTP receiver.
 */
import type { App, Receiver } from '@slack/bolt';

export class FakeReceiver implements Receiver {
  private app: App | undefined;

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  /** Delivers a body as Slack would and resolves once every middleware and listener is done; returns the acks. */
  async send(body: Record<string, unknown>): Promise<unknown[]> {
    if (!this.app) throw new Error('FakeReceiver: no app');
    const acks: unknown[] = [];
    await this.app.processEvent({ body, ack: async (response?: unknown) => void acks.push(response ?? null) });
    return acks;
  }
}
