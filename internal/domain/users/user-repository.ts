import type { Page, PageRequest } from '../shared/page.js';
import type { User } from './user.js';

export interface UserRepository {
  /** Stores a new user; throws UsernameTakenError when the name is taken ignoring case. */
  create(user: User): Promise<void>;
  findById(id: string): Promise<User | null>;
  /** Case-insensitive. */
  findByUsername(username: string): Promise<User | null>;
  /** The users with these ids, in no particular order; unknown ids are left out. */
  findManyByIds(ids: readonly string[]): Promise<User[]>;
  /** All users, newest first. */
  page(request: PageRequest): Promise<Page<User>>;
}
