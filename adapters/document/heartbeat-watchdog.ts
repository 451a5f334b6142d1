import type { MongoClient, ServerHeartbeatFailedEvent, ServerHeartbeatStartedEvent, ServerHeartbeatSucceededEvent } from 'mongodb';

/** How often the watchdog looks at the heartbeats in flight. */
const CHECK_EVERY_MS = 1_000;
/** Beyond a heartbeat's own time limit before it counts as stuck. */
const GRACE_MS = 1_000;
/** Between two attempts to connect again while the server is still away. */
const RETRY_EVERY_MS = 1_000;

/**
 * Connects the client again when its server monitor is stuck, so a MongoDB store that comes back
 * is used again without a restart.
 *
 * The driver (seen in mongodb 6.22 and 7.9) can lose its monitor for good: when the server drops
 * the monitor's connection just as a heartbeat is written to it, the socket is already destroyed,
 * the write waits for a `drain` that never comes, and the connection's close rejects nothing.
 * No heartbeat runs again, the server stays Unknown, and every operation fails server selection
 * after the server is back (`test/http/store-outage.test.ts` cuts the connection and saw this in
 * about one run in three). A heartbeat has its own time limit (connectTimeoutMS), so one still
 * running past it is stuck: the watchdog closes the client and connects the same client object
 * again (every collection held over it stays valid), retrying until the server answers.
 * Operations in between fail as unavailable (503), as they would with the server away.
 */
export class HeartbeatWatchdog {
  /** Start of each heartbeat in flight, by server address. */
  private readonly inFlight = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private reconnecting: Promise<void> | null = null;
  private stopped = false;
  /** Times the client was connected again; for tests and logs. */
  reconnections = 0;

  constructor(
    private readonly client: MongoClient,
    /** A heartbeat's time limit: the client's connectTimeoutMS. */
    private readonly heartbeatLimitMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  start(): this {
    this.client.on('serverHeartbeatStarted', (e: ServerHeartbeatStartedEvent) => this.inFlight.set(e.connectionId, this.now()));
    const done = (e: ServerHeartbeatSucceededEvent | ServerHeartbeatFailedEvent) => this.inFlight.delete(e.connectionId);
    this.client.on('serverHeartbeatSucceeded', done);
    this.client.on('serverHeartbeatFailed', done);
    this.timer = setInterval(() => this.check(), CHECK_EVERY_MS).unref();
    return this;
  }

  /** True when a heartbeat has run past its limit; then connects the client again. */
  check(): boolean {
    if (this.stopped || this.reconnecting) return false;
    const oldest = Math.min(...this.inFlight.values());
    if (!(this.now() - oldest > this.heartbeatLimitMs + GRACE_MS)) return false;
    this.reconnecting = this.reconnect().finally(() => (this.reconnecting = null));
    return true;
  }

  /** Resolves once a reconnection under way, if any, has ended. */
  settled(): Promise<void> {
    return this.reconnecting ?? Promise.resolve();
  }

  /** No more checks; a reconnection under way closes the client again if it connects. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async reconnect(): Promise<void> {
    this.inFlight.clear();
    await this.client.close().catch(() => {});
    while (!this.stopped) {
      try {
        await this.client.connect();
        this.reconnections += 1;
        if (this.stopped) await this.client.close().catch(() => {});
        return;
      } catch {
        await new Promise((r) => setTimeout(r, RETRY_EVERY_MS).unref());
      }
    }
  }
}
