import { ValidationError } from '../shared/errors.js';
import { codePointLength } from '../shared/text.js';

export interface User {
  id: string;
  username: string;
  passwordHash: string;
  joinedAt: Date;
}

/** What other modules show of a user: never the password hash. */
export interface UserSummary {
  id: string;
  username: string;
}

const USERNAME = /^[A-Za-z0-9]{1,14}$/;

export function checkUsername(username: string): string {
  if (!USERNAME.test(username)) {
    throw ValidationError.field('username', 'must be 1 to 14 letters or digits');
  }
  return username;
}

/** Counted in code points, as the HTTP schema counts them: an emoji is one character, not two. */
export function checkPassword(password: string): string {
  const length = codePointLength(password);
  if (length < 8 || length > 128) {
    throw ValidationError.field('password', 'must be 8 to 128 characters');
  }
  return password;
}

/** Usernames are unique ignoring case; stores index this form. */
export function usernameKey(username: string): string {
  return username.toLowerCase();
}
