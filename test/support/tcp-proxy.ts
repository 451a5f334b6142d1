import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A loopback TCP relay to a real database server that a test can cut and restore, or freeze
 * and thaw, to see what the service does when its store goes away or stops answering
 * (no mock: real driver, real server).
 */
export class TcpProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  /** Client and server ends of each relayed connection. */
  private readonly pairs = new Set<{ client: Socket; upstream: Socket }>();
  /** Connections accepted while frozen: not yet relayed, like a stopped server's backlog. */
  private readonly waiting = new Set<Socket>();
  private frozen = false;
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(port = this.port): Promise<number> {
    const server = createServer((client) => {
      this.track(client);
      if (this.frozen) {
        client.pause();
        this.waiting.add(client);
        client.on('close', () => this.waiting.delete(client));
      } else {
        this.relay(client);
      }
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as { port: number }).port;
    return this.port;
  }

  /** Refuses new connections and drops every open one, like a server that died. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    this.waiting.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async restore(): Promise<void> {
    await this.start(this.port);
  }

  /**
   * Keeps every connection open but relays no byte in either direction, and accepts new
   * connections without relaying them: a server stopped with SIGSTOP, or a black-holed
   * network, where TCP still answers and the database never does.
   */
  freeze(): void {
    this.frozen = true;
    for (const { client, upstream } of this.pairs) {
      client.unpipe(upstream);
      upstream.unpipe(client);
      client.pause();
      upstream.pause();
    }
  }

  /** Resumes relaying, including whatever the clients sent meanwhile (SIGCONT). */
  thaw(): void {
    if (!this.frozen) return;
    this.frozen = false;
    for (const { client, upstream } of this.pairs) {
      client.pipe(upstream);
      upstream.pipe(client);
    }
    for (const client of this.waiting) this.relay(client);
    this.waiting.clear();
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  }

  private relay(client: Socket): void {
    const upstream = connect(this.targetPort, this.targetHost);
    this.track(upstream);
    const pair = { client, upstream };
    this.pairs.add(pair);
    for (const s of [client, upstream]) {
      s.on('close', () => this.pairs.delete(pair));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  }
}
