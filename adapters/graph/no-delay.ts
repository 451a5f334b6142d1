import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { Socket } from 'node:net';

/**
 * Turns Nagle's algorithm off (TCP_NODELAY) on every TCP connection this process opens to
 * `port`, until the returned function is called. neo4j-driver 5 leaves it on (its Python
 * driver turned it off in 5.27; pg, mongodb, ioredis and Node's HTTP client turn it off
 * themselves) and offers no option for it. With it on, a query whose Bolt messages the driver
 * writes in more than one piece waits for the server's delayed ACK: a following page with its
 * session check took 45 ms in an auto-commit transaction, 3 ms without the wait (BENCHMARKS.md,
 * eighth pass). The driver's sockets are reached through Node's `net.client.socket`
 * diagnostics channel, which announces each client socket as it is made; the port is known
 * once it connects.
 */
export function noDelayTo(port: number): () => void {
  const onSocket = (message: unknown) => {
    const socket = (message as { socket?: Socket }).socket;
    socket?.once('connect', () => {
      if (socket.remotePort === port) socket.setNoDelay(true);
    });
  };
  subscribe('net.client.socket', onSocket);
  return () => void unsubscribe('net.client.socket', onSocket);
}
