import { postNotFound } from './errors.js';
import type { PostRepository } from './post-repository.js';
import type { PostView, PostViews } from './post-views.js';

export class GetPost {
  constructor(
    private readonly posts: PostRepository,
    private readonly views: PostViews,
  ) {}

  async execute(id: string): Promise<PostView> {
    const post = await this.posts.findById(id);
    if (!post) throw postNotFound(id);
    const [view] = await this.views.of([post]);
    return view!;
  }
}
