import { describe, expect, it } from 'vitest';
import { HmacTokenIssuer } from '../../adapters/system/hmac-token-issuer.js';
import { ScryptPasswordHasher } from '../../adapters/system/scrypt-password-hasher.js';
import { ValidationError } from '../../internal/domain/shared/errors.js';
import { checkPassword, checkUsername, usernameKey } from '../../internal/domain/users/user.js';

describe('user rules', () => {
  it.each(['a', 'Alice', 'abc123', 'A'.repeat(14)])('when the username is %s, then it is accepted', (name) => {
    expect(checkUsername(name)).toBe(name);
  });

  it.each(['', 'a'.repeat(15), 'al ice', 'alice!', 'élodie', 'a_b'])('when the username is "%s", then it is refused', (name) => {
    expect(() => checkUsername(name)).toThrow(ValidationError);
  });

  it('when passwords are 7 or 129 characters, then refused; 8 and 128 accepted', () => {
    expect(() => checkPassword('1234567')).toThrow(ValidationError);
    expect(() => checkPassword('x'.repeat(129))).toThrow(ValidationError);
    expect(checkPassword('12345678')).toBe('12345678');
    expect(checkPassword('x'.repeat(128))).toHaveLength(128);
  });

  it('when usernames differ only in case, then they share a key', () => {
    expect(usernameKey('AlIcE')).toBe(usernameKey('alice'));
  });
});

describe('password hashing', () => {
  const hasher = new ScryptPasswordHasher(2 ** 10);

  it('when a password is hashed twice, then the salts differ and both verify', async () => {
    const [a, b] = [await hasher.hash('s3cret-pass'), await hasher.hash('s3cret-pass')];
    expect(a).not.toBe(b);
    expect(a).not.toContain('s3cret-pass');
    expect(await hasher.verify('s3cret-pass', a)).toBe(true);
    expect(await hasher.verify('wrong-pass', b)).toBe(false);
    expect(await hasher.verify('s3cret-pass', 'garbage')).toBe(false);
  });
});

describe('bearer tokens', () => {
  let now = new Date('2026-01-01T00:00:00Z');
  const clock = { now: () => now };
  const issuer = new HmacTokenIssuer('k'.repeat(32), 60, clock);

  it('when a token is fresh, then it names its session and user; when expired, forged or re-signed, then null', () => {
    now = new Date('2026-01-01T00:00:00Z');
    const ref = { sessionId: 'session-1', userId: 'user-1' };
    const { token, expiresAt } = issuer.issue(ref);
    expect(expiresAt).toEqual(new Date('2026-01-01T00:01:00Z'));
    expect(issuer.verify(token)).toEqual(ref);
    const [body, sig] = token.split('.');
    const forgedBody = Buffer.from(JSON.stringify({ sub: 'user-2', sid: 'session-1', exp: 9_999_999_999 })).toString('base64url');
    expect(issuer.verify(`${forgedBody}.${sig}`)).toBeNull();
    expect(new HmacTokenIssuer('z'.repeat(32), 60, clock).verify(token)).toBeNull();
    expect(issuer.verify(`${body}`)).toBeNull();
    now = new Date('2026-01-01T00:01:00Z');
    expect(issuer.verify(token)).toBeNull();
  });
});
