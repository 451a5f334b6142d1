import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../internal/domain/shared/clock.js';
import type { SessionRef } from '../../internal/domain/users/session.js';
import type { IssuedToken, TokenIssuer } from '../../internal/domain/users/token-issuer.js';

interface Claims {
  /** The user. */
  sub: string;
  /** The session (revocable: log-out deletes it from the store). */
  sid: string;
  exp: number;
}

/**
 * Compact signed tokens, `base64url(claims).base64url(HMAC-SHA256(claims))` with claims
 * `{sub, sid, exp}`: verifiable by any instance that shares AUTH_SECRET, expiring after
 * `ttlSeconds`. The signature proves who issued the token; whether its session still exists
 * is the store's answer (Authenticate asks it).
 */
export class HmacTokenIssuer implements TokenIssuer {
  constructor(
    private readonly secret: string,
    private readonly ttlSeconds: number,
    private readonly clock: Clock,
  ) {}

  issue(ref: SessionRef): IssuedToken {
    const claims: Claims = { sub: ref.userId, sid: ref.sessionId, exp: Math.floor(this.clock.now().getTime() / 1000) + this.ttlSeconds };
    const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return { token: `${body}.${this.sign(body)}`, expiresInSeconds: this.ttlSeconds, expiresAt: new Date(claims.exp * 1000) };
  }

  verify(token: string): SessionRef | null {
    const [body, signature, extra] = token.split('.');
    if (!body || !signature || extra !== undefined) return null;
    const expected = Buffer.from(this.sign(body));
    const actual = Buffer.from(signature);
    if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return null;
    const claims = this.parse(body);
    if (!claims || claims.exp * 1000 <= this.clock.now().getTime()) return null;
    return { userId: claims.sub, sessionId: claims.sid };
  }

  private sign(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('base64url');
  }

  private parse(body: string): Claims | null {
    try {
      const value: unknown = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
      if (typeof value !== 'object' || value === null) return null;
      const { sub, sid, exp } = value as Record<string, unknown>;
      return typeof sub === 'string' && typeof sid === 'string' && typeof exp === 'number' ? { sub, sid, exp } : null;
    } catch {
      return null;
    }
  }
}
