/**
 * @lma-bot/slack-sandbox: a local Slack for developing and testing a Slack app with no workspace — a fake Web API,
 * response URLs, request signing, a driver that plays Slack towards the app, and a browser page.
 */
export { type ClickableMessage, type DeliveryOptions, type DriverOptions, SlackDriver } from './driver.js';
export {
  type ApiCall,
  type ChannelSpec,
  DEFAULT_BOT_SCOPES,
  type FakeSlack,
  type FakeSlackOptions,
  type InjectedFailure,
  type ResponseUrlContext,
  type ResponseUrlPost,
  type SlackMessage,
  startFakeSlack,
  type UserSpec,
} from './fake-slack.js';
export { type LocalSlack, type LocalSlackOptions, startLocalSlack } from './local-slack.js';
export {
  type PageLogger,
  SANDBOX_ALERTS_CHANNEL,
  SANDBOX_CHANNEL,
  SANDBOX_USER,
  type SandboxServer,
  type SandboxServerOptions,
  startSandboxServer,
} from './server.js';
export { signSlackRequest } from './signing.js';
