/**
 * A guard in front of Bolt's HTTP receiver: a body that is not one of the shapes Slack sends is refused with 400
 * before Bolt reads it. Bolt dereferences the parsed body without checking it: a signed `null` JSON body
 * throws outside its error handling (an unhandled rejection that stops the process), `{"event":null}` answers
 * 500, and `[]` or `{}` keep the connection open for 3 s. The body is buffered here (within the size limit) and
 * handed to Bolt, which reuses it and still verifies the signature.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { parse } from 'node:querystring';

/** What Bolt's `bufferIncomingMessage` looks for to skip reading the stream again. */
type BufferedRequest = IncomingMessage & { rawBody?: Buffer };

export function guardSlackRequests(
  listener: RequestListener,
  options: { path: string; bodyLimit: number },
): RequestListener {
  return (req, res) => {
    if (req.method !== 'POST' || new URL(req.url ?? '/', 'http://localhost').pathname !== options.path) {
      listener(req, res);
      return;
    }
    readBody(req, options.bodyLimit).then(
      (raw) => {
        if (raw === undefined) return refuse(res, 413);
        if (!isSlackShaped(raw.toString('utf8'), req.headers['content-type'])) return refuse(res, 400);
        (req as BufferedRequest).rawBody = raw;
        listener(req, res);
      },
      () => refuse(res, 400),
    );
  };
}

/** Whether the body is a slash command, an interaction payload, an ssl_check, or an Events API envelope. */
export function isSlackShaped(text: string, contentType: string | undefined): boolean {
  // Bolt parses only exactly this content type as a form; anything else as JSON.
  if (contentType === 'application/x-www-form-urlencoded') {
    const form = parse(text);
    if (form.ssl_check === '1') return true;
    if (typeof form.payload === 'string') return isTypedObject(parseJson(form.payload));
    return typeof form.command === 'string' && form.command.startsWith('/');
  }
  const body = parseJson(text);
  if (!isTypedObject(body)) return false;
  return body.event === undefined || isObject(body.event);
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isTypedObject = (value: unknown): value is Record<string, unknown> =>
  isObject(value) && typeof value.type === 'string';

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
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

function refuse(res: ServerResponse, status: number): void {
  if (res.headersSent) return;
  // Close the connection: the client may still be sending an oversized body.
  res.writeHead(status, { connection: 'close' });
  res.end();
}
