export interface IssuedToken {
  token: string;
  expiresInSeconds: number;
}

export interface TokenIssuer {
  issue(userId: string): IssuedToken;
  /** The user id the token was issued to, or null when it is forged, malformed or expired. */
  verify(token: string): string | null;
}
