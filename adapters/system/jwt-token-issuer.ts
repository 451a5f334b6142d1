import { webcrypto } from 'node:crypto';
import { errors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import type { Clock } from '../../internal/domain/shared/clock.js';
import type { SessionRef } from '../../internal/domain/users/session.js';
import type { IssuedToken, TokenIssuer } from '../../internal/domain/users/token-issuer.js';

export interface JwtSettings {
  /** Signs every new token and verifies it (32+ characters: HS256 wants a 256-bit key). */
  secret: string;
  /** The secret before the last rotation: its tokens still verify until they expire; none are signed with it. */
  previousSecret?: string | undefined;
  /** The `iss` claim written and required. */
  issuer: string;
  /** The `aud` claim written and required. */
  audience: string;
  ttlSeconds: number;
}

const ALGORITHM = 'HS256';
/** A token of this service is about 300 characters; anything far longer is refused unread. */
export const MAX_TOKEN_LENGTH = 2048;
const MIN_SECRET_LENGTH = 32;
/**
 * Tokens whose signature and claims were verified, kept until their `exp`: verifying an HS256
 * token through WebCrypto costs tens of microseconds and a thread-pool hop, on every
 * authenticated request. The oldest entries go first beyond this many (about 1 MB).
 */
const VERIFIED_TOKENS = 4096;

interface Claims extends JWTPayload {
  /** The session (revocable: log-out deletes it from the store). */
  sid?: unknown;
}

/**
 * Standard JWTs (RFC 7519) signed with HS256 by `jose`: header `{alg: HS256, typ: JWT}`, claims
 * `sub` (the user), `sid` (the session), `iat`, `exp`, `iss`, `aud`. Any instance sharing the
 * secret verifies them. Verification accepts HS256 only, requires every claim above, checks
 * `iss`, `aud` and `exp` against the injected clock, and tries the current secret then the
 * previous one (rotation). The signature proves who issued the token; whether its session still
 * exists is the store's answer (Authenticate asks it).
 */
export class JwtTokenIssuer implements TokenIssuer {
  private readonly secrets: readonly string[];
  private keys: Promise<webcrypto.CryptoKey[]> | undefined;
  private readonly verified = new Map<string, { ref: SessionRef; exp: number }>();

  constructor(
    private readonly settings: JwtSettings,
    private readonly clock: Clock,
  ) {
    const { secret, previousSecret } = settings;
    for (const value of [secret, previousSecret]) {
      if (value !== undefined && value.length < MIN_SECRET_LENGTH) throw new Error(`a token secret must have at least ${MIN_SECRET_LENGTH} characters`);
    }
    this.secrets = previousSecret === undefined || previousSecret === secret ? [secret] : [secret, previousSecret];
  }

  async issue(ref: SessionRef): Promise<IssuedToken> {
    const [current] = await this.verificationKeys();
    const issuedAt = Math.floor(this.clock.now().getTime() / 1000);
    const expiresAt = issuedAt + this.settings.ttlSeconds;
    const token = await new SignJWT({ sid: ref.sessionId })
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
      .setSubject(ref.userId)
      .setIssuer(this.settings.issuer)
      .setAudience(this.settings.audience)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .sign(current!);
    return { token, expiresInSeconds: this.settings.ttlSeconds, expiresAt: new Date(expiresAt * 1000) };
  }

  /**
   * The token's session, or null. A token verified before answers from memory while its `exp`
   * has not passed (the same test as jose's: `exp` after the current second): what else is
   * checked cannot change for the same string under the same secrets.
   */
  async verify(token: string): Promise<SessionRef | null> {
    if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) return null;
    const known = this.verified.get(token);
    if (known) {
      if (known.exp > Math.floor(this.clock.now().getTime() / 1000)) return known.ref;
      this.verified.delete(token);
      return null;
    }
    const verified = await this.verifySigned(token);
    if (verified) {
      if (this.verified.size >= VERIFIED_TOKENS) this.verified.delete(this.verified.keys().next().value!);
      this.verified.set(token, verified);
    }
    return verified?.ref ?? null;
  }

  private async verifySigned(token: string): Promise<{ ref: SessionRef; exp: number } | null> {
    for (const key of await this.verificationKeys()) {
      try {
        const { payload } = await jwtVerify<Claims>(token, key, {
          algorithms: [ALGORITHM],
          typ: 'JWT',
          issuer: this.settings.issuer,
          audience: this.settings.audience,
          requiredClaims: ['sub', 'sid', 'iat', 'exp'],
          currentDate: this.clock.now(),
        });
        const { sub, sid, exp } = payload;
        // requiredClaims made `exp` present and jose checked it is a number.
        return typeof sub === 'string' && sub !== '' && typeof sid === 'string' && sid !== '' ? { ref: { userId: sub, sessionId: sid }, exp: exp! } : null;
      } catch (err) {
        // Signed with another key: maybe the previous secret. Anything else (malformed, another
        // algorithm, expired, wrong issuer or audience) is final: the signature was checked first.
        if (err instanceof errors.JWSSignatureVerificationFailed) continue;
        return null;
      }
    }
    return null;
  }

  /** The current secret's key first; imported once (WebCrypto), not per token. */
  private verificationKeys(): Promise<webcrypto.CryptoKey[]> {
    this.keys ??= Promise.all(
      this.secrets.map((secret) =>
        webcrypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']),
      ),
    );
    return this.keys;
  }
}
