/**
 * One log-in. Its bearer token names it, and it lasts until it expires or its user logs out
 * (which deletes it, so the token fails at once). Sessions live in the users module's store.
 */
export interface Session {
  /** UUIDv7 from the IdGenerator. */
  id: string;
  userId: string;
  expiresAt: Date;
}

/** What a verified token names: a session and the user it must belong to. */
export interface SessionRef {
  sessionId: string;
  userId: string;
}
