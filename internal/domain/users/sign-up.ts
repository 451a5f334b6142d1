import type { Clock } from '../shared/clock.js';
import type { IdGenerator } from '../shared/id-generator.js';
import type { PasswordHasher } from './password-hasher.js';
import { checkPassword, checkUsername, type User } from './user.js';
import type { UserRepository } from './user-repository.js';

export class SignUp {
  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  async execute(input: { username: string; password: string }): Promise<User> {
    const username = checkUsername(input.username);
    const password = checkPassword(input.password);
    const now = this.clock.now();
    const user: User = {
      id: this.ids.next(now),
      username,
      passwordHash: await this.hasher.hash(password),
      joinedAt: now,
    };
    await this.users.create(user);
    return user;
  }
}
