import type { TSchema } from '@sinclair/typebox';
import { ArticleOut, ArticlePage, BlogOut, BlogPage } from './blogs.js';
import { Problem } from './common.js';
import { ListingOut, ListingPage, PostalAddressOut, PriceOut } from './listings.js';
import { Health } from './ops.js';
import { EmbeddedPost, PostOut, PostPage } from './posts.js';
import { ProfileOut, SessionOut, UserOut, UserPage, UserSummary } from './users.js';

/**
 * Every named schema (each has an `$id`): app.ts adds them to the app before any route, so
 * routes refer to them with `Named(...)`, fast-json-stringify and Ajv resolve those references,
 * and @fastify/swagger publishes each once under `#/components/schemas/<$id>`.
 */
export const SHARED_SCHEMAS: TSchema[] = [
  Problem,
  UserOut,
  UserPage,
  UserSummary,
  ProfileOut,
  SessionOut,
  EmbeddedPost,
  PostOut,
  PostPage,
  ArticleOut,
  ArticlePage,
  BlogOut,
  BlogPage,
  PostalAddressOut,
  ListingOut,
  ListingPage,
  PriceOut,
  Health,
];
