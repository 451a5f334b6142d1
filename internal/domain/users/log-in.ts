import type { Clock } from '../shared/clock.js';
import type { IdGenerator } from '../shared/id-generator.js';
import { InvalidCredentialsError } from './errors.js';
import type { PasswordHasher } from './password-hasher.js';
import type { IssuedToken, TokenIssuer } from './token-issuer.js';
import type { User } from './user.js';
import type { UserRepository } from './user-repository.js';

/** Checks the password, then opens a session (purging the user's expired ones) and signs a token naming it. */
export class LogIn {
  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenIssuer,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
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
    const now = this.clock.now();
    const sessionId = this.ids.next(now);
    const issued = await this.tokens.issue({ sessionId, userId: user.id });
    await this.users.createSession({ id: sessionId, userId: user.id, expiresAt: issued.expiresAt }, now);
    return { ...issued, user };
  }
}
