import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { noDelayTo } from '../../adapters/graph/no-delay.js';
import { recordNoDelay } from '../support/no-delay.js';

async function listening(): Promise<{ server: Server; port: number }> {
  const server = createServer((s) => s.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port };
}

async function connected(port: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  await new Promise((resolve) => setImmediate(resolve));
  socket.destroy();
  return socket;
}

describe('noDelayTo (Nagle off for the Neo4j driver)', () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it('when a client socket connects to the port, then noDelay is set; to another port, it is not; after stop, neither', async () => {
    const [target, other] = [await listening(), await listening()];
    cleanups.push(() => target.server.close(), () => other.server.close());
    const recorded = recordNoDelay();
    cleanups.push(recorded.stop);
    const stop = noDelayTo(target.port);
    const toTarget = await connected(target.port);
    const toOther = await connected(other.port);
    stop();
    const afterStop = await connected(target.port);
    expect(recorded.calls.get(toTarget)).toEqual([true]);
    expect(recorded.calls.get(toOther)).toEqual([]);
    expect(recorded.calls.get(afterStop)).toEqual([]);
  });
});
