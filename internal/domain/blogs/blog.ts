import { ValidationError, type FieldProblem } from '../shared/errors.js';
import { codePointLength, trimInvisible } from '../shared/text.js';

export interface Blog {
  id: string;
  ownerId: string;
  name: string;
  /** Unique across all blogs. */
  slug: string;
  description: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A blog's post; called an article to keep it apart from social posts. */
export interface Article {
  id: string;
  blogId: string;
  /** The blog owner when it was written; only the blog's owner changes it. */
  authorId: string;
  title: string | null;
  /** HTML or Markdown, stored sanitised. */
  content: string;
  viewCount: number;
  createdAt: Date;
  updatedAt: Date;
}

const blank = (text: string) => trimInvisible(text).length === 0;

export const MAX_ARTICLES_PER_REQUEST = 50;
export const MAX_CONTENT_LENGTH = 100_000;
const SLUG = /^[a-z0-9-]{1,64}$/;

export function checkBlogFields(fields: { name?: string; slug?: string; description?: string | null }): void {
  const problems: FieldProblem[] = [];
  if (fields.name !== undefined && (blank(fields.name) || codePointLength(fields.name) > 100)) {
    problems.push({ field: 'name', message: 'must be 1 to 100 characters' });
  }
  if (fields.slug !== undefined && !SLUG.test(fields.slug)) {
    problems.push({ field: 'slug', message: 'must be 1 to 64 of a-z, 0-9 and -' });
  }
  if (fields.description && codePointLength(fields.description) > 500) problems.push({ field: 'description', message: 'must be at most 500 characters' });
  if (problems.length > 0) throw new ValidationError(problems);
}

export function checkArticleFields(fields: { title?: string | null; content?: string }, field = ''): void {
  const problems: FieldProblem[] = [];
  if (fields.title && codePointLength(fields.title) > 200) problems.push({ field: `${field}title`, message: 'must be at most 200 characters' });
  if (fields.content !== undefined && (blank(fields.content) || codePointLength(fields.content) > MAX_CONTENT_LENGTH)) {
    problems.push({ field: `${field}content`, message: `must be 1 to ${MAX_CONTENT_LENGTH} characters` });
  }
  if (problems.length > 0) throw new ValidationError(problems);
}
