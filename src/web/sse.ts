/**
 * Server-sent events over a raw Node response: `event: <name>` and one `data:` line of JSON per message, a
 * comment every few seconds so proxies and browsers keep the connection open, and clean-up when the client goes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface EventStream {
  send(event: string, data: unknown): void;
  close(): void;
  readonly closed: boolean;
}

/** Starts an event stream on `res`; `onClose` runs once when either side ends it. */
export function openEventStream(req: IncomingMessage, res: ServerResponse, onClose: () => void, heartbeatMs = 15000): EventStream {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Content-Type-Options': 'nosniff',
  });
  res.write('retry: 2000\n\n');
  let closed = false;
  const heartbeat = setInterval(() => {
    if (!closed) res.write(': keep-alive\n\n');
  }, heartbeatMs);
  heartbeat.unref();
  const end = (): void => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    onClose();
    if (!res.writableEnded) res.end();
  };
  req.on('close', end);
  res.on('error', end);
  return {
    send(event, data) {
      if (closed) return;
      // JSON.stringify never emits a raw newline, so one data line per message is always valid.
      res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    close: end,
    get closed() {
      return closed;
    },
  };
}
