import type { Clock } from '../shared/clock.js';
import { UnauthenticatedError } from '../shared/errors.js';
import type { TokenIssuer } from './token-issuer.js';
import type { User } from './user.js';
import type { UserRepository } from './user-repository.js';

export interface Authenticated {
  user: User;
  /** The session the token names, for log-out. */
  sessionId: string;
}

/**
 * Turns a bearer token into its user with one store call: the signature and expiry are checked
 * here, then the store answers the user only while the token's session exists (no log-out),
 * belongs to that user and has not expired.
 */
export class Authenticate {
  constructor(
    private readonly users: UserRepository,
    private readonly tokens: TokenIssuer,
    private readonly clock: Clock,
  ) {}

  async execute(token: string): Promise<Authenticated> {
    const ref = await this.tokens.verify(token);
    const user = ref ? await this.users.findBySession(ref, this.clock.now()) : null;
    if (!ref || !user) throw new UnauthenticatedError('The bearer token is invalid, expired or revoked');
    return { user, sessionId: ref.sessionId };
  }
}
