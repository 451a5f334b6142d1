import type { Page, PageRequest } from '../shared/page.js';
import type { Session, SessionRef } from './session.js';
import type { User } from './user.js';

/**
 * An id that names no user or session, malformed ones included (`''`, `'nope'`), is an unknown
 * id: lookups answer null or nothing, deletes do nothing, never an error.
 */
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

  /** Stores a new session of an existing user, and deletes that user's sessions expired at `now`. */
  createSession(session: Session, now: Date): Promise<void>;
  /**
   * The user, in one store call, when the session exists, belongs to `ref.userId` and expires
   * after `now`; else null, also for ids that are not ids (never an error).
   */
  findBySession(ref: SessionRef, now: Date): Promise<User | null>;
  /** Deletes the session if it belongs to `ref.userId`; idempotent. */
  deleteSession(ref: SessionRef): Promise<void>;
  /** Deletes every session of the user; idempotent. */
  deleteSessionsOf(userId: string): Promise<void>;
}
