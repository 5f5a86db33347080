import { isIPv4 } from 'node:net';
import type { Request } from 'express';

/** 127.0.0.0/8, ::1, and 127.x written as an IPv4-mapped IPv6 address (a dual-stack socket). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  if (address === '::1') return true;
  const v4 = address.toLowerCase().startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return isIPv4(v4) && v4.startsWith('127.');
}

/** Headers a proxy adds when it relays a request: such a request is not from this machine's user. */
const RELAY_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip'];

/**
 * Whether the request comes from a browser on this machine: judged by the socket's own address,
 * never by `req.ip` (which `trust proxy` derives from headers a client can write), and refused when
 * a proxy relayed it (a tunnel or a reverse proxy on this machine connects from loopback too).
 */
export function isLocalClient(req: Request): boolean {
  return isLoopbackAddress(req.socket?.remoteAddress) && !RELAY_HEADERS.some((name) => req.headers[name] !== undefined);
}
