import type { Clock } from '../shared/clock.js';
import { ValidationError } from '../shared/errors.js';
import { isId, type IdGenerator } from '../shared/id-generator.js';
import { codePointLength, trimInvisible } from '../shared/text.js';
import {
  CannotQuoteAQuoteError,
  CannotRepostARepostError,
  DailyPostLimitReachedError,
  ReferencedPostNotFoundError,
} from './errors.js';
import { dailySlotKeys, secondsUntilNextUtcDay, type Post, type PostingRules } from './post.js';
import type { PostRepository } from './post-repository.js';

export interface CreatePostInput {
  authorId: string;
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
  ) {}

  async execute(input: CreatePostInput): Promise<Post> {
    const draft = this.shape(input);
    if (draft.originalId) await this.checkOriginal(draft.kind, draft.originalId);

    const now = this.clock.now();
    const post: Post = { ...draft, id: this.ids.next(now), authorId: input.authorId, createdAt: now };
    const created = await this.posts.createInDailySlot(post, dailySlotKeys(post.authorId, now, this.rules.dailyLimit));
    if (!created) throw new DailyPostLimitReachedError(this.rules.dailyLimit, secondsUntilNextUtcDay(now));
    return post;
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

  private async checkOriginal(kind: Post['kind'], originalId: string): Promise<void> {
    const field = kind === 'repost' ? 'repost_of' : 'quote_of';
    const original = isId(originalId) ? await this.posts.findById(originalId) : null;
    if (!original) throw new ReferencedPostNotFoundError(field);
    if (kind === 'repost' && original.kind === 'repost') throw new CannotRepostARepostError();
    if (kind === 'quote' && original.kind === 'quote') throw new CannotQuoteAQuoteError();
  }
}
