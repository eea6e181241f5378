/**
 * An HTTP GET as an async client library does it (aiohttp, httpx over asyncio streams, which
 * read through the selector loop as Lib/asyncio/selector_events.py does): build the request in
 * Python, send it on a non-blocking socket, then read until the peer closes, each read waiting
 * for the selector to report the fd readable.
 */
import {HTTP_REQUEST_CPU_US} from '../constants';
import {cpu, getRunningLoop, type Coro} from './core';

export interface HttpGetOptions {
  /** Time until the first response byte: the server's delay plus the round trip. */
  latencyUs: number;
  responseBytes?: number;
  bandwidthBytesPerSecond?: number;
}

/** Returns the number of body bytes read. */
export function* httpGet(options: HttpGetOptions): Coro<number> {
  const loop = getRunningLoop();
  yield cpu(HTTP_REQUEST_CPU_US / 2, 'build request');
  const socket = loop.io.socket({
    latencyUs: options.latencyUs,
    responseBytes: options.responseBytes ?? 1024,
    bandwidthBytesPerSecond: options.bandwidthBytesPerSecond ?? 12_500_000,
  });
  socket.setblocking(false);
  socket.send(200);
  let total = 0;
  for (;;) {
    const got = yield* loop.sockRecv(socket, 65_536);
    if (got === 0) break;
    total += got;
  }
  socket.close();
  yield cpu(HTTP_REQUEST_CPU_US / 2, 'parse response');
  return total;
}
