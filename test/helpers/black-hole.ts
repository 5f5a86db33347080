/**
 * A black-hole server on a free loopback port: it accepts TCP connections, reads whatever the client
 * sends and never answers. With `greeting` it writes that one line on connect and then goes silent
 * (an SMTP server that greets and hangs). It stands in for a mail server or an HTTP API that took the
 * connection and then stopped answering.
 */
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface BlackHole {
  port: number;
  /** Connections accepted so far. */
  readonly accepted: number;
  /** Connections still open (the client has not given up on them). */
  readonly open: number;
  /** Resolves once every accepted connection was closed by the client; rejects after `timeoutMs`. */
  allClosed(timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startBlackHole({ greeting }: { greeting?: string } = {}): Promise<BlackHole> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  let wake: (() => void) | undefined;
  const server = createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      wake?.();
    });
    socket.on('error', () => undefined);
    socket.resume();
    if (greeting !== undefined) socket.write(`${greeting}\r\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    get accepted() {
      return accepted;
    },
    get open() {
      return sockets.size;
    },
    allClosed: (timeoutMs) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${sockets.size} connection(s) still open after ${timeoutMs} ms`)), timeoutMs);
        wake = () => {
          if (sockets.size > 0) return;
          clearTimeout(timer);
          resolve();
        };
        wake();
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
