import { generateKeyPairSync } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, SignJWT, UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { JwtTokenIssuer, MAX_TOKEN_LENGTH, type JwtSettings } from '../../adapters/system/jwt-token-issuer.js';

const CURRENT = 'current-key-0123456789-abcdefghij-KLMNOP';
const PREVIOUS = 'previous-key-0123456789-abcdefghij-QRSTU';
const START = new Date('2026-01-01T00:00:00Z');
const REF = { sessionId: '0194d7a0-0000-7000-8000-000000000001', userId: '0194d7a0-0000-7000-8000-000000000002' };
const SETTINGS: JwtSettings = { secret: CURRENT, issuer: 'agora', audience: 'agora-api', ttlSeconds: 60 };

/** An issuer on a clock the test moves. */
function issuerAt(overrides: Partial<JwtSettings> = {}) {
  const clock = { at: START, now: () => clock.at };
  return { clock, issuer: new JwtTokenIssuer({ ...SETTINGS, ...overrides }, clock) };
}

const bytes = (secret: string) => new TextEncoder().encode(secret);
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

/** A token built by hand: valid claims for REF unless overridden, signed HS256 with `secret`. */
function handMade(claims: Record<string, unknown> = {}, secret = CURRENT, header: Record<string, unknown> = {}) {
  return new SignJWT({ sub: REF.userId, sid: REF.sessionId, iss: 'agora', aud: 'agora-api', iat: seconds(START), exp: seconds(START) + 60, ...claims })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT', ...header })
    .sign(bytes(secret));
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('JWT bearer tokens', () => {
  it('when a token is issued, then it verifies to its session and user and expires after the TTL', async () => {
    const { issuer } = issuerAt();
    const issued = await issuer.issue(REF);
    expect(issued.expiresInSeconds).toBe(60);
    expect(issued.expiresAt).toEqual(new Date('2026-01-01T00:01:00Z'));
    expect(await issuer.verify(issued.token)).toEqual(REF);
  });

  it('when a token is issued, then it is a standard JWT: three base64url parts, HS256, typ JWT, the claims jose reads', async () => {
    const { issuer } = issuerAt();
    const { token } = await issuer.issue(REF);
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(decodeJwt(token)).toEqual({
      sub: REF.userId,
      sid: REF.sessionId,
      iss: 'agora',
      aud: 'agora-api',
      iat: seconds(START),
      exp: seconds(START) + 60,
    });
  });

  it('when the clock reaches exp, then the token is invalid; a second before, valid', async () => {
    const { clock, issuer } = issuerAt();
    const { token } = await issuer.issue(REF);
    clock.at = new Date('2026-01-01T00:00:59Z');
    expect(await issuer.verify(token)).toEqual(REF);
    clock.at = new Date('2026-01-01T00:01:00Z');
    expect(await issuer.verify(token)).toBeNull();
    clock.at = new Date('2027-01-01T00:00:00Z');
    expect(await issuer.verify(token)).toBeNull();
  });

  it('when the issuer or the audience differs, then the token is invalid', async () => {
    const { token } = await issuerAt().issuer.issue(REF);
    expect(await issuerAt({ issuer: 'someone-else' }).issuer.verify(token)).toBeNull();
    expect(await issuerAt({ audience: 'another-api' }).issuer.verify(token)).toBeNull();
    expect(await issuerAt().issuer.verify(await handMade({ iss: 'evil' }))).toBeNull();
    expect(await issuerAt().issuer.verify(await handMade({ aud: ['other'] }))).toBeNull();
  });

  it('when a claim is missing or not a non-empty string, then the token is invalid', async () => {
    const { issuer } = issuerAt();
    expect(await issuer.verify(await handMade())).toEqual(REF);
    for (const claims of [{ sub: undefined }, { sid: undefined }, { exp: undefined }, { iat: undefined }, { iss: undefined }, { aud: undefined }, { sid: 42 }, { sid: '' }, { sub: '' }]) {
      expect(await issuer.verify(await handMade(claims)), JSON.stringify(claims)).toBeNull();
    }
  });

  it('when a token was signed with the previous secret, then it verifies only while AUTH_SECRET_PREVIOUS names it', async () => {
    const old = await issuerAt({ secret: PREVIOUS }).issuer.issue(REF);
    const rotated = issuerAt({ previousSecret: PREVIOUS }).issuer;
    expect(await rotated.verify(old.token)).toEqual(REF);
    expect(await issuerAt().issuer.verify(old.token)).toBeNull();
    expect(await issuerAt({ previousSecret: 'yet-another-key-0123456789-abcdefghij' }).issuer.verify(old.token)).toBeNull();
    // New tokens are signed with the current secret: an instance that knows only it accepts them.
    const fresh = await rotated.issue(REF);
    expect(await issuerAt().issuer.verify(fresh.token)).toEqual(REF);
    expect(await issuerAt({ secret: PREVIOUS }).issuer.verify(fresh.token)).toBeNull();
  });

  it('when a token signed with the previous secret has expired, then it is invalid', async () => {
    const old = await issuerAt({ secret: PREVIOUS }).issuer.issue(REF);
    const { clock, issuer } = issuerAt({ previousSecret: PREVIOUS });
    clock.at = old.expiresAt;
    expect(await issuer.verify(old.token)).toBeNull();
  });

  it('when the header names alg none, then the token is invalid (with or without a signature)', async () => {
    const { issuer } = issuerAt();
    const unsecured = new UnsecuredJWT({ sid: REF.sessionId }).setSubject(REF.userId).setIssuer('agora').setAudience('agora-api').setIssuedAt(seconds(START)).setExpirationTime(seconds(START) + 60).encode();
    expect(unsecured.split('.')).toHaveLength(3);
    expect(await issuer.verify(unsecured)).toBeNull();
    const [, payload, signature] = (await handMade()).split('.');
    expect(await issuer.verify(`${b64({ alg: 'none', typ: 'JWT' })}.${payload}.${signature}`)).toBeNull();
    expect(await issuer.verify(`${b64({ alg: 'None', typ: 'JWT' })}.${payload}.`)).toBeNull();
  });

  it('when the token uses another algorithm (RS256, or HS512 with the same secret), then it is invalid', async () => {
    const { issuer } = issuerAt();
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const rs256 = await new SignJWT({ sid: REF.sessionId, sub: REF.userId, iss: 'agora', aud: 'agora-api', iat: seconds(START), exp: seconds(START) + 60 })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
      .sign(privateKey);
    expect(await issuer.verify(rs256)).toBeNull();
    expect(await issuer.verify(await handMade({}, CURRENT, { alg: 'HS512' }))).toBeNull();
    // The HS256 signature relabelled RS256: the header is signed, and RS256 is refused anyway.
    const [, payload, signature] = (await handMade()).split('.');
    expect(await issuer.verify(`${b64({ alg: 'RS256', typ: 'JWT' })}.${payload}.${signature}`)).toBeNull();
  });

  it('when the header typ is not JWT, then the token is invalid', async () => {
    expect(await issuerAt().issuer.verify(await handMade({}, CURRENT, { typ: 'at+jwt' }))).toBeNull();
  });

  it('when a token verified once is tampered with, then the altered token is invalid: only the exact string is remembered', async () => {
    const { issuer } = issuerAt();
    const { token } = await issuer.issue(REF);
    expect(await issuer.verify(token)).toEqual(REF);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const flipped = signature.startsWith('A') ? `B${signature.slice(1)}` : `A${signature.slice(1)}`;
    expect(await issuer.verify(`${header}.${payload}.${flipped}`)).toBeNull();
    expect(await issuer.verify(`${header}.${b64({ ...decodeJwt(token), sub: 'someone-else' })}.${signature}`)).toBeNull();
    expect(await issuer.verify(token)).toEqual(REF);
  });

  it('when thousands of tokens were verified since, then an early one still verifies (the memory is bounded, not the validity)', async () => {
    const { issuer } = issuerAt();
    const { token } = await issuer.issue(REF);
    expect(await issuer.verify(token)).toEqual(REF);
    for (let i = 0; i < 5000; i++) await issuer.verify((await issuer.issue({ ...REF, sessionId: `0194d7a0-0000-7000-8000-${String(i).padStart(12, '0')}` })).token);
    expect(await issuer.verify(token)).toEqual(REF);
  });

  it('when the payload or the signature is tampered with, then the token is invalid', async () => {
    const { issuer } = issuerAt();
    const { token } = await issuer.issue(REF);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = decodeJwt(token);
    expect(await issuer.verify(`${header}.${b64({ ...claims, sub: 'someone-else' })}.${signature}`)).toBeNull();
    expect(await issuer.verify(`${header}.${b64({ ...claims, exp: 9_999_999_999 })}.${signature}`)).toBeNull();
    const flipped = signature.startsWith('A') ? `B${signature.slice(1)}` : `A${signature.slice(1)}`;
    expect(await issuer.verify(`${header}.${payload}.${flipped}`)).toBeNull();
    expect(await issuer.verify(`${header}.${payload}.`)).toBeNull();
    expect(await issuer.verify(`${header}.${payload}`)).toBeNull();
    expect(await issuer.verify(`${token}.extra`)).toBeNull();
    expect(await issuer.verify(await handMade({}, 'a-different-key-0123456789-abcdefghij'))).toBeNull();
  });

  it('when the token is garbage, then it is invalid and nothing throws', async () => {
    const { issuer } = issuerAt();
    const garbage = [
      '',
      ' ',
      'garbage',
      '...',
      'a.b.c',
      '%%%.%%%.%%%',
      `${b64('not an object')}.${b64([1])}.AAAA`,
      `${b64({ alg: 'HS256' })}.${Buffer.from('not json').toString('base64url')}.AAAA`,
      `${b64({ alg: 'HS256', crit: ['exp'] })}.${b64({})}.AAAA`,
      `${b64({ alg: 'HS256', b64: false, crit: ['b64'] })}.payload.AAAA`,
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.\u0000',
      '\u00e9\u00e9\u00e9.\u00e9.\u00e9',
    ];
    for (const token of garbage) expect(await issuer.verify(token), JSON.stringify(token)).toBeNull();
    let seed = 42; // a fixed sequence, so a failure replays
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 200; i += 1) {
      const random = Array.from({ length: 1 + (i % 120) }, () => String.fromCharCode(32 + Math.floor(next() * 95))).join('');
      expect(await issuer.verify(random), random).toBeNull();
    }
  });

  it('when a token is longer than any this service issues, then it is refused unread', async () => {
    const { issuer } = issuerAt();
    const long = await handMade({ padding: 'x'.repeat(MAX_TOKEN_LENGTH) });
    expect(long.length).toBeGreaterThan(MAX_TOKEN_LENGTH);
    expect(await issuer.verify(long)).toBeNull();
    expect(await issuer.verify('a'.repeat(1_000_000))).toBeNull();
    // Under the limit the same extra claim is fine: the limit is about size, not content.
    expect(await issuer.verify(await handMade({ padding: 'x'.repeat(100) }))).toEqual(REF);
  });

  it('when a secret is shorter than 32 characters, then the issuer refuses to be built', () => {
    const clock = { now: () => START };
    expect(() => new JwtTokenIssuer({ ...SETTINGS, secret: 'short' }, clock)).toThrow(/at least 32/);
    expect(() => new JwtTokenIssuer({ ...SETTINGS, previousSecret: 'short' }, clock)).toThrow(/at least 32/);
  });
});
