import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { PasswordHasher } from '../../internal/domain/users/password-hasher.js';

const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/**
 * scrypt with a random 16-byte salt. The stored form names its parameters
 * (`scrypt$N$r$p$salt$key`), so the cost can rise later without breaking old hashes.
 */
export class ScryptPasswordHasher implements PasswordHasher {
  private readonly decoy: Promise<string>;

  constructor(private readonly cost = 2 ** 15) {
    this.decoy = this.hash(randomBytes(16).toString('hex'));
  }

  async hash(password: string): Promise<string> {
    const salt = randomBytes(16);
    const key = await derive(password, salt, this.options(this.cost));
    return ['scrypt', this.cost, 8, 1, salt.toString('base64'), key.toString('base64')].join('$');
  }

  async verify(password: string, stored: string): Promise<boolean> {
    const [scheme, n, r, p, salt, key] = stored.split('$');
    if (scheme !== 'scrypt' || !salt || !key) return false;
    const expected = Buffer.from(key, 'base64');
    const actual = await derive(password, Buffer.from(salt, 'base64'), {
      ...this.options(Number(n)),
      r: Number(r),
      p: Number(p),
    });
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }

  async waste(password: string): Promise<void> {
    await this.verify(password, await this.decoy);
  }

  private options(cost: number): ScryptOptions {
    return { N: cost, r: 8, p: 1, maxmem: 256 * cost * 8 };
  }
}
