import type { SessionRef } from './session.js';

export interface IssuedToken {
  token: string;
  expiresInSeconds: number;
  /** When the token stops verifying; its session is stored with the same expiry. */
  expiresAt: Date;
}

export interface TokenIssuer {
  /** A signed token naming the session and its user, valid for the issuer's lifetime. */
  issue(ref: SessionRef): IssuedToken;
  /**
   * The session and user the token names, or null when it is forged, malformed or expired.
   * Only the store knows whether the session still exists (it is gone after a log-out).
   */
  verify(token: string): SessionRef | null;
}
