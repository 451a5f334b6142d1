import type { Page, PageRequest } from '../shared/page.js';
import type { User } from './user.js';
import type { UserRepository } from './user-repository.js';

export class ListUsers {
  constructor(private readonly users: UserRepository) {}

  execute(request: PageRequest): Promise<Page<User>> {
    return this.users.page(request);
  }
}
