/**
 * Slack's end of a Socket Mode connection, on loopback: the fake Slack's apps.connections.open points the bot here
 * (its `socketModeUrl`), the test sends envelopes as Slack would and reads what the bot sends back. A WebSocket
 * server of just what the Socket Mode client uses (RFC 6455: the handshake, unfragmented text frames, ping → pong,
 * close), so no WebSocket library is needed.
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

export interface SocketModeServer {
  /** ws://127.0.0.1:<port>/: where apps.connections.open sends the bot. */
  url: string;
  /** Sends a text frame to the connected bot (waiting for its connection first). */
  send(text: string): Promise<void>;
  /** Every text frame the bot sent, parsed (its acknowledgements: `{ envelope_id, payload }`). */
  received: unknown[];
  /** Resolves with the bot's acknowledgement of `envelopeId`; rejects after `timeoutMs`. */
  ack(envelopeId: string, timeoutMs?: number): Promise<unknown>;
  close(): Promise<void>;
}

const HANDSHAKE_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const OP = { text: 0x1, close: 0x8, ping: 0x9, pong: 0xa } as const;

export async function startSocketModeServer(): Promise<SocketModeServer> {
  const received: unknown[] = [];
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const w of [...waiters]) w();
  };
  let connection: Duplex | undefined;
  const server = createServer((_req, res) => res.writeHead(426).end());
  server.on('upgrade', (req, socket: Duplex) => {
    const accept = createHash('sha1').update(`${req.headers['sec-websocket-key']}${HANDSHAKE_GUID}`).digest('base64');
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    connection = socket;
    // Slack's first message on every connection.
    socket.write(frame(OP.text, Buffer.from(JSON.stringify({ type: 'hello', num_connections: 1 }))));
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      for (let read = readFrame(pending); read; read = readFrame(pending)) {
        pending = pending.subarray(read.size);
        if (read.opcode === OP.ping) socket.write(frame(OP.pong, read.payload));
        else if (read.opcode === OP.close) socket.end(frame(OP.close, Buffer.alloc(0)));
        else if (read.opcode === OP.text) received.push(JSON.parse(read.payload.toString('utf8')));
      }
      notify();
    });
    socket.on('error', () => socket.destroy());
    notify();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const until = <T>(found: () => T | undefined, timeoutMs: number, what: string) =>
    new Promise<T>((resolve, reject) => {
      const check = () => {
        const value = found();
        if (value === undefined) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(value);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`Socket Mode server: no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });

  return {
    url: `ws://127.0.0.1:${port}/`,
    received,
    async send(text) {
      const socket = await until(() => connection, 30_000, 'connection');
      socket.write(frame(OP.text, Buffer.from(text)));
    },
    ack: (envelopeId, timeoutMs = 10_000) =>
      until(
        () => received.find((m) => (m as { envelope_id?: unknown }).envelope_id === envelopeId),
        timeoutMs,
        `acknowledgement of ${envelopeId}`,
      ),
    close: () =>
      new Promise<void>((resolve) => {
        connection?.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A server's frame: unmasked, unfragmented. */
function frame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const header =
    length < 126
      ? Buffer.from([0x80 | opcode, length])
      : length < 65_536
        ? Buffer.from([0x80 | opcode, 126, length >> 8, length & 0xff])
        : Buffer.concat([Buffer.from([0x80 | opcode, 127]), bigEndian64(length)]);
  return Buffer.concat([header, payload]);
}

function bigEndian64(n: number): Buffer {
  const out = Buffer.alloc(8);
  out.writeBigUInt64BE(BigInt(n));
  return out;
}

/** One whole client frame (masked, as clients must send) at the start of `data`, or undefined until it has arrived. */
function readFrame(data: Buffer): { opcode: number; payload: Buffer; size: number } | undefined {
  if (data.length < 2) return undefined;
  const opcode = data[0]! & 0x0f;
  const masked = (data[1]! & 0x80) !== 0;
  let length = data[1]! & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (data.length < 4) return undefined;
    length = data.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (data.length < 10) return undefined;
    length = Number(data.readBigUInt64BE(2));
    offset = 10;
  }
  const mask = masked ? data.subarray(offset, offset + 4) : undefined;
  if (mask) offset += 4;
  if (data.length < offset + length) return undefined;
  const payload = Buffer.from(data.subarray(offset, offset + length));
  if (mask) for (let i = 0; i < payload.length; i++) payload[i] = payload[i]! ^ mask[i % 4]!;
  return { opcode, payload, size: offset + length };
}
