import type { SessionRef } from './session.js';

export interface IssuedToken {
  token: string;
  expiresInSeconds: number;
  /** When the token stops verifying; its session is stored with the same expiry. */
  expiresAt: Date;
}

/** Signing and verifying may be asynchronous (WebCrypto), so both answer a promise. */
export interface TokenIssuer {
  /** A signed token naming the session and its user, valid for the issuer's lifetime. */
  issue(ref: SessionRef): Promise<IssuedToken>;
  /**
   * The session and user the token names, or null when it is forged, malformed or expired;
   * never a rejection for a bad token. Only the store knows whether the session still exists
   * (it is gone after a log-out).
   */
  verify(token: string): Promise<SessionRef | null>;
}
