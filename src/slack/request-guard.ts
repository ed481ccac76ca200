/**
 * A guard in front of Bolt's HTTP receiver, so that Bolt only ever sees a signed, fresh, first delivery shaped like
 * Slack's (src/slack/envelope.ts says why Bolt needs that). In order:
 * - a request target that is no URL (`GET //`, `POST http://[`) → 400 (Bolt answers it 500 with an error log);
 * - other paths and methods pass straight through (the operations endpoints);
 * - a body over the limit → 413; a body that is no Slack shape → 400;
 * - no valid signature, or a timestamp more than 5 minutes from now either way → 401 (Bolt refuses only old ones);
 * - a mis-shaped payload of a known type → 200 and one warning; a type or command the app does not own → 200;
 * - the exact same timestamp and signature again (a replay) → 200, and not handed on: decided by the store, so it
 *   holds across replicas.
 * The body is buffered here (within the size limit) and handed to Bolt, which reuses it: the signature is checked here
 * only (src/app/bolt.ts turns Bolt's own check off).
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { isValidSlackRequest } from '@slack/bolt';
import type { BotLogger } from '../logger.js';
import { type Owned, readEnvelope } from './envelope.js';

/** What Bolt's `bufferIncomingMessage` looks for to skip reading the stream again. */
type BufferedRequest = IncomingMessage & { rawBody?: Buffer };

/** Slack's window for a request's timestamp, in both directions. */
export const MAX_CLOCK_SKEW_SECONDS = 5 * 60;

export interface GuardOptions {
  path: string;
  bodyLimit: number;
  signingSecret: string;
  owned: Owned;
  /** True the first time a key is claimed (the store's event log). */
  firstDelivery: (key: string) => Promise<boolean>;
  logger: Pick<BotLogger, 'warn' | 'debug'>;
  /** Milliseconds since the epoch; the wall clock unless a test says otherwise. */
  now?: () => number;
}

export function guardSlackRequests(listener: RequestListener, options: GuardOptions): RequestListener {
  const now = options.now ?? Date.now;
  return (req, res) => {
    const path = pathOf(req.url);
    if (path === undefined) {
      options.logger.debug(`Refused a request whose target is not a URL (${req.method}).`);
      return answer(res, 400);
    }
    if (req.method !== 'POST' || path !== options.path) return listener(req, res);
    readBody(req, options.bodyLimit).then(
      async (raw) => {
        if (raw === undefined) return answer(res, 413);
        const text = raw.toString('utf8');
        const envelope = readEnvelope(text, req.headers['content-type'], options.owned);
        if (envelope.kind === 'not-slack') return answer(res, 400);
        const signed = signature(req, text, options.signingSecret, now());
        if (!signed) return answer(res, 401);
        if (envelope.kind === 'misshaped') {
          options.logger.warn(`Ignored a signed ${envelope.type} payload that is not shaped as Slack sends it.`);
          return answer(res, 200);
        }
        if (envelope.kind === 'unowned') return answer(res, 200);
        if (!(await options.firstDelivery(`request:${signed.timestamp}:${signed.signature}`))) {
          options.logger.debug(`Ignored a replayed ${envelope.type} request (same timestamp and signature).`);
          return answer(res, 200);
        }
        (req as BufferedRequest).rawBody = raw;
        listener(req, res);
      },
      () => answer(res, 400),
    );
  };
}

/** The request's path, or undefined when its target is not a URL at all. */
function pathOf(target: string | undefined): string | undefined {
  try {
    return new URL(target ?? '/', 'http://localhost').pathname;
  } catch {
    return undefined;
  }
}

/** The verified signature and its timestamp, or undefined when either is missing, wrong or out of the window. */
function signature(
  req: IncomingMessage,
  body: string,
  signingSecret: string,
  nowMs: number,
): { timestamp: number; signature: string } | undefined {
  const given = req.headers['x-slack-signature'];
  const timestamp = Number(req.headers['x-slack-request-timestamp']);
  if (typeof given !== 'string' || !Number.isInteger(timestamp)) return undefined;
  if (Math.abs(nowMs / 1000 - timestamp) > MAX_CLOCK_SKEW_SECONDS) return undefined;
  const headers = { 'x-slack-signature': given, 'x-slack-request-timestamp': timestamp };
  return isValidSlackRequest({ signingSecret, body, headers, nowMilliseconds: nowMs })
    ? { timestamp, signature: given }
    : undefined;
}

/** The whole body, or undefined once it exceeds `limit` bytes (the rest is not read). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Answers without Bolt: a refusal, or a 200 that asks nothing more of Slack. */
function answer(res: ServerResponse, status: number): void {
  if (res.headersSent) return;
  // Close the connection: the client may still be sending an oversized body.
  res.writeHead(status, status === 200 ? {} : { connection: 'close' });
  res.end();
}
