import { DomainError, NotFoundError } from '../shared/errors.js';

export class SlugTakenError extends DomainError {
  readonly code = 'SLUG_TAKEN';
  readonly kind = 'conflict';

  constructor(slug: string) {
    super(`The slug "${slug}" is taken`);
  }
}

export function blogNotFound(key: string): NotFoundError {
  return new NotFoundError('BLOG_NOT_FOUND', `No blog has the id or slug "${key}"`);
}

export function articleNotFound(id: string): NotFoundError {
  return new NotFoundError('ARTICLE_NOT_FOUND', `No article has the id "${id}"`);
}
