export const TOKENS = {
  config: Symbol('Config'),
  clock: Symbol('Clock'),
  ids: Symbol('IdGenerator'),
  passwordHasher: Symbol('PasswordHasher'),
  tokenIssuer: Symbol('TokenIssuer'),
  userRepository: Symbol('UserRepository'),
  followRepository: Symbol('FollowRepository'),
  postRepository: Symbol('PostRepository'),
  postViews: Symbol('PostViews'),
  listingRepository: Symbol('ListingRepository'),
  blogRepository: Symbol('BlogRepository'),
  contentSanitizer: Symbol('ContentSanitizer'),
} as const;
