import { InvalidCredentialsError } from './errors.js';
import type { PasswordHasher } from './password-hasher.js';
import type { IssuedToken, TokenIssuer } from './token-issuer.js';
import type { User } from './user.js';
import type { UserRepository } from './user-repository.js';

export class LogIn {
  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenIssuer,
  ) {}

  async execute(input: { username: string; password: string }): Promise<IssuedToken & { user: User }> {
    const user = await this.users.findByUsername(input.username);
    if (!user) {
      await this.hasher.waste(input.password);
      throw new InvalidCredentialsError();
    }
    if (!(await this.hasher.verify(input.password, user.passwordHash))) {
      throw new InvalidCredentialsError();
    }
    return { ...this.tokens.issue(user.id), user };
  }
}
