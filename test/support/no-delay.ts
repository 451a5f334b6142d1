import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { Socket } from 'node:net';

/** Each client socket the process opens, with the noDelay values set on it. */
export function recordNoDelay(): { calls: Map<Socket, boolean[]>; stop: () => void } {
  const calls = new Map<Socket, boolean[]>();
  const onSocket = (message: unknown) => {
    const socket = (message as { socket: Socket }).socket;
    const seen: boolean[] = [];
    calls.set(socket, seen);
    const original = socket.setNoDelay.bind(socket);
    socket.setNoDelay = (noDelay?: boolean) => {
      seen.push(noDelay ?? true);
      return original(noDelay);
    };
  };
  subscribe('net.client.socket', onSocket);
  return { calls, stop: () => void unsubscribe('net.client.socket', onSocket) };
}
