import { postNotFound } from './errors.js';
import type { PostRepository } from './post-repository.js';
import type { PostView } from './post-views.js';

export class GetPost {
  constructor(private readonly posts: PostRepository) {}

  /** One store call: the post, its counters and its original come together. */
  async execute(id: string): Promise<PostView> {
    const view = await this.posts.findById(id);
    if (!view) throw postNotFound(id);
    return view;
  }
}
