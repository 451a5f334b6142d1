import type { Collection } from 'mongodb';
import type { Page, PageRequest } from '../../internal/domain/shared/page.js';
import { UsernameTakenError } from '../../internal/domain/users/errors.js';
import type { Session, SessionRef } from '../../internal/domain/users/session.js';
import { usernameKey, type User } from '../../internal/domain/users/user.js';
import type { UserRepository } from '../../internal/domain/users/user-repository.js';
import { isDuplicateKey } from './errors.js';
import { keysetPage } from './keyset.js';
import { toUser, userDoc } from './records.js';
import type { SessionDoc, UserDoc } from './schema.js';

export class MongoUserRepository implements UserRepository {
  constructor(
    private readonly users: Collection<UserDoc>,
    private readonly sessions: Collection<SessionDoc> = users.db.collection<SessionDoc>('sessions'),
  ) {}

  async create(user: User): Promise<void> {
    const doc = userDoc(user);
    try {
      await this.users.insertOne(doc);
    } catch (err) {
      if (isDuplicateKey(err) && (await this.users.countDocuments({ username_key: doc.username_key }, { limit: 1 })) > 0) {
        throw new UsernameTakenError(user.username);
      }
      throw err;
    }
  }

  async findById(id: string): Promise<User | null> {
    const doc = await this.users.findOne({ _id: id });
    return doc ? toUser(doc) : null;
  }

  async findByUsername(username: string): Promise<User | null> {
    const doc = await this.users.findOne({ username_key: usernameKey(username) });
    return doc ? toUser(doc) : null;
  }

  async findManyByIds(ids: readonly string[]): Promise<User[]> {
    if (ids.length === 0) return [];
    const docs = await this.users.find({ _id: { $in: [...ids] } }).toArray();
    return docs.map(toUser);
  }

  page(request: PageRequest): Promise<Page<User>> {
    return keysetPage(this.users, {}, request, toUser);
  }

  async createSession(session: Session, now: Date): Promise<void> {
    await this.sessions.deleteMany({ user_id: session.userId, expires_at: { $lte: now } });
    await this.sessions.insertOne({ _id: session.id, user_id: session.userId, expires_at: session.expiresAt });
  }

  /**
   * Two lookups by `_id` (no $lookup on FerretDB v1), sent together: the token names the user,
   * so neither waits for the other, and the request pays one round trip.
   */
  async findBySession(ref: SessionRef, now: Date): Promise<User | null> {
    const [session, user] = await Promise.all([
      this.sessions.findOne({ _id: ref.sessionId, user_id: ref.userId, expires_at: { $gt: now } }, { projection: { _id: 1 } }),
      this.users.findOne({ _id: ref.userId }),
    ]);
    return session && user ? toUser(user) : null;
  }

  async deleteSession(ref: SessionRef): Promise<void> {
    await this.sessions.deleteOne({ _id: ref.sessionId, user_id: ref.userId });
  }

  async deleteSessionsOf(userId: string): Promise<void> {
    await this.sessions.deleteMany({ user_id: userId });
  }
}
