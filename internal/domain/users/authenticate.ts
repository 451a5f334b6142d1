import { UnauthenticatedError } from '../shared/errors.js';
import type { TokenIssuer } from './token-issuer.js';
import type { User } from './user.js';
import type { UserRepository } from './user-repository.js';

/** Turns a bearer token into its user; a token of a user that no longer exists is refused. */
export class Authenticate {
  constructor(
    private readonly users: UserRepository,
    private readonly tokens: TokenIssuer,
  ) {}

  async execute(token: string): Promise<User> {
    const userId = this.tokens.verify(token);
    const user = userId ? await this.users.findById(userId) : null;
    if (!user) throw new UnauthenticatedError('The bearer token is invalid or expired');
    return user;
  }
}
