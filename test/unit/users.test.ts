import { describe, expect, it } from 'vitest';
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

  it('when a password has characters outside the BMP, then each counts once, as the HTTP schema counts them', () => {
    const face = '\u{1F60D}';
    expect(checkPassword(face.repeat(128))).toHaveLength(256);
    expect(checkPassword(`${face.repeat(100)}abc`)).toHaveLength(203);
    expect(() => checkPassword(face.repeat(7))).toThrow(ValidationError);
    expect(() => checkPassword(face.repeat(129))).toThrow(ValidationError);
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
