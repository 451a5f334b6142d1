import { OverloadedError } from '../../internal/domain/shared/errors.js';
import type { PasswordHasher } from '../../internal/domain/users/password-hasher.js';

/**
 * At most `concurrency` hashes run at once (each holds a libuv thread and ~32 MiB for a
 * moment); up to `queue` more wait their turn; beyond that the caller gets OverloadedError
 * (503 with Retry-After) at once, so a flood of log-ins cannot starve every other request.
 */
export class BoundedPasswordHasher implements PasswordHasher {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly inner: PasswordHasher,
    private readonly concurrency: number,
    private readonly queue: number,
  ) {}

  hash(password: string): Promise<string> {
    return this.run(() => this.inner.hash(password));
  }

  verify(password: string, stored: string): Promise<boolean> {
    return this.run(() => this.inner.verify(password, stored));
  }

  waste(password: string): Promise<void> {
    return this.run(() => this.inner.waste(password));
  }

  private async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.queue) throw new OverloadedError('password hashing');
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
