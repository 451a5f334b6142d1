import type { Clock } from '../shared/clock.js';
import { ValidationError } from '../shared/errors.js';
import type { IdGenerator } from '../shared/id-generator.js';
import { codePointLength, trimInvisible } from '../shared/text.js';
import type { UserSummary } from '../users/user.js';
import { summaryOf } from '../users/user-summaries.js';
import {
  CannotQuoteAQuoteError,
  CannotRepostARepostError,
  DailyPostLimitReachedError,
  ReferencedPostNotFoundError,
} from './errors.js';
import { dailySlotKeys, repostKey, secondsUntilNextUtcDay, type Post, type PostingRules } from './post.js';
import type { PostRepository } from './post-repository.js';
import type { FeedUpdates } from '../timelines/feed-updates.js';
import type { EmbeddedPostView, PostView } from './post-views.js';

export interface CreatePostInput {
  /** The caller, who becomes the author: the answer names them without asking the store. */
  author: UserSummary;
  content?: string;
  repostOf?: string;
  quoteOf?: string;
}

export class CreatePost {
  constructor(
    private readonly posts: PostRepository,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly rules: PostingRules,
    private readonly updates: FeedUpdates,
  ) {}

  /**
   * The new post's view, built from what this already holds: the author, the post (no reposts or
   * quotes yet) and the original as read before the write, counting this post. Nothing is read
   * after the write. Followers' timelines get it after the response (see FeedUpdates).
   */
  async execute(input: CreatePostInput): Promise<PostView> {
    const draft = this.shape(input);
    const original = draft.originalId ? await this.checkOriginal(draft.kind, draft.originalId) : null;

    const now = this.clock.now();
    const post: Post = { ...draft, id: this.ids.next(now), authorId: input.author.id, authorName: input.author.username, createdAt: now };
    const fanOut = await this.updates.expect({ kind: 'post', postId: post.id, authorId: post.authorId });
    const created = await this.posts.createInDailySlot(post, dailySlotKeys(post.authorId, now, this.rules.dailyLimit), repostKey(post));
    await fanOut.settle(created);
    if (!created) throw new DailyPostLimitReachedError(this.rules.dailyLimit, secondsUntilNextUtcDay(now));
    return { post, author: summaryOf(input.author), repostCount: 0, quoteCount: 0, original: original && countingOne(original, post.kind) };
  }

  private shape(input: CreatePostInput): Pick<Post, 'kind' | 'content' | 'originalId'> {
    if (input.repostOf !== undefined && input.quoteOf !== undefined) {
      throw ValidationError.field('quote_of', 'cannot be given together with repost_of');
    }
    if (input.repostOf !== undefined) {
      if (input.content !== undefined) throw ValidationError.field('content', 'a repost has no content');
      return { kind: 'repost', content: null, originalId: input.repostOf };
    }
    const content = this.checkContent(input.content);
    return input.quoteOf !== undefined
      ? { kind: 'quote', content, originalId: input.quoteOf }
      : { kind: 'original', content, originalId: null };
  }

  private checkContent(content: string | undefined): string {
    const trimmed = trimInvisible(content ?? '');
    const length = codePointLength(trimmed);
    if (length < 1 || length > this.rules.maxLength) {
      throw ValidationError.field('content', `must be 1 to ${this.rules.maxLength} characters after trimming`);
    }
    return trimmed;
  }

  /** The original's view, with its author and counts, once it is one this post may point at. */
  private async checkOriginal(kind: Post['kind'], originalId: string): Promise<EmbeddedPostView> {
    const field = kind === 'repost' ? 'repost_of' : 'quote_of';
    const view = await this.posts.findById(originalId);
    if (!view) throw new ReferencedPostNotFoundError(field);
    if (kind === 'repost' && view.post.kind === 'repost') throw new CannotRepostARepostError();
    if (kind === 'quote' && view.post.kind === 'quote') throw new CannotQuoteAQuoteError();
    return { post: view.post, author: view.author, repostCount: view.repostCount, quoteCount: view.quoteCount };
  }
}

/** The original as it stands once `kind` (a repost or a quote of it) is stored. */
function countingOne(original: EmbeddedPostView, kind: Post['kind']): EmbeddedPostView {
  return kind === 'repost' ? { ...original, repostCount: original.repostCount + 1 } : { ...original, quoteCount: original.quoteCount + 1 };
}
