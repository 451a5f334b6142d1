import type { Clock } from '../shared/clock.js';
import { UnauthenticatedError } from '../shared/errors.js';
import type { SessionRef } from './session.js';
import type { TokenIssuer } from './token-issuer.js';
import type { User } from './user.js';
import type { UserRepository } from './user-repository.js';

export interface Authenticated {
  user: User;
  /** The session the token names, for log-out. */
  sessionId: string;
}

/** The one answer to a token that does not (or no longer) authenticates: which check failed stays private. */
export function invalidToken(): UnauthenticatedError {
  return new UnauthenticatedError('The bearer token is invalid, expired or revoked');
}

/**
 * Turns a bearer token into its user with one store call: the signature and expiry are checked
 * here (`claim`), then the store answers the user only while the token's session exists (no
 * log-out), belongs to that user and has not expired (`confirm`). A use case that reads from the
 * store holding the sessions may take the claim instead and confirm it in its own read (see
 * `FollowingFeed.pageForSession`).
 */
export class Authenticate {
  constructor(
    private readonly users: UserRepository,
    private readonly tokens: TokenIssuer,
    private readonly clock: Clock,
  ) {}

  async execute(token: string): Promise<Authenticated> {
    return this.confirm(await this.claim(token));
  }

  /** The session a token names, by its signature and expiry alone (no store call): not yet confirmed. */
  async claim(token: string): Promise<SessionRef> {
    const ref = await this.tokens.verify(token);
    if (!ref) throw invalidToken();
    return ref;
  }

  /** The user of a claimed session while it is live (one store call). */
  async confirm(ref: SessionRef): Promise<Authenticated> {
    const user = await this.users.findBySession(ref, this.clock.now());
    if (!user) throw invalidToken();
    return { user, sessionId: ref.sessionId };
  }
}
