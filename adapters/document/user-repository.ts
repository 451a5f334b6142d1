import type { Collection } from 'mongodb';
import { toPage, type Page, type PageRequest } from '../../internal/domain/shared/page.js';
import { UsernameTakenError } from '../../internal/domain/users/errors.js';
import type { Session, SessionRef } from '../../internal/domain/users/session.js';
import { usernameKey, type User } from '../../internal/domain/users/user.js';
import type { UserRepository } from '../../internal/domain/users/user-repository.js';
import { isDuplicateKey } from './errors.js';
import type { SessionDoc, UserDoc } from './schema.js';

function toEntity(doc: UserDoc): User {
  return { id: doc._id, username: doc.username, passwordHash: doc.password_hash, joinedAt: doc.joined_at };
}

export class MongoUserRepository implements UserRepository {
  constructor(
    private readonly users: Collection<UserDoc>,
    private readonly sessions: Collection<SessionDoc> = users.db.collection<SessionDoc>('sessions'),
  ) {}

  async create(user: User): Promise<void> {
    const key = usernameKey(user.username);
    try {
      await this.users.insertOne({
        _id: user.id,
        username: user.username,
        username_key: key,
        password_hash: user.passwordHash,
        joined_at: user.joinedAt,
      });
    } catch (err) {
      if (isDuplicateKey(err) && (await this.users.countDocuments({ username_key: key }, { limit: 1 })) > 0) {
        throw new UsernameTakenError(user.username);
      }
      throw err;
    }
  }

  async findById(id: string): Promise<User | null> {
    const doc = await this.users.findOne({ _id: id });
    return doc ? toEntity(doc) : null;
  }

  async findByUsername(username: string): Promise<User | null> {
    const doc = await this.users.findOne({ username_key: usernameKey(username) });
    return doc ? toEntity(doc) : null;
  }

  async findManyByIds(ids: readonly string[]): Promise<User[]> {
    if (ids.length === 0) return [];
    const docs = await this.users.find({ _id: { $in: [...ids] } }).toArray();
    return docs.map(toEntity);
  }

  async page(request: PageRequest): Promise<Page<User>> {
    const filter = request.before ? { _id: { $lt: request.before } } : {};
    const docs = await this.users.find(filter).sort({ _id: -1 }).limit(request.limit + 1).toArray();
    return toPage(docs.map(toEntity), request.limit, (u) => u.id);
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
    return session && user ? toEntity(user) : null;
  }

  async deleteSession(ref: SessionRef): Promise<void> {
    await this.sessions.deleteOne({ _id: ref.sessionId, user_id: ref.userId });
  }

  async deleteSessionsOf(userId: string): Promise<void> {
    await this.sessions.deleteMany({ user_id: userId });
  }
}
