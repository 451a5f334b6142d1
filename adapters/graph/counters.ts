import type { Driver } from 'neo4j-driver';

/**
 * The counters the repositories keep on write (`followers`, `following` and `posts` on each
 * :User, `reposts` and `quotes` on each :Post), rebuilt from the relationships after a bulk
 * path that does not keep them: seeding, a transfer or an import, the migration that added them.
 * A count of one type of relationship is a node's degree, which Neo4j keeps, so each is constant
 * time. Only wrong counters are written (absent reads as 0), in transactions of 10,000 nodes so
 * a large graph needs no huge one.
 */

/** Every user's followers and following counters, from the FOLLOWS relationships. */
export function recountFollows(driver: Driver): Promise<void> {
  return eachNode(
    driver,
    'u',
    'User',
    `WITH u, COUNT { (u)<-[:FOLLOWS]-() } AS followers, COUNT { (u)-[:FOLLOWS]->() } AS following
     WHERE coalesce(u.followers, 0) <> followers OR coalesce(u.following, 0) <> following
     SET u.followers = followers, u.following = following`,
  );
}

/** Every author's posts counter and every post's repost and quote counters, from the posts' relationships. */
export async function recountPosts(driver: Driver): Promise<void> {
  await eachNode(
    driver,
    'u',
    'User',
    `WITH u, COUNT { (u)<-[:POSTED_BY]-() } AS posts
     WHERE coalesce(u.posts, 0) <> posts
     SET u.posts = posts`,
  );
  await eachNode(
    driver,
    'p',
    'Post',
    `WITH p, COUNT { (p)<-[:REPOSTS]-() } AS reposts, COUNT { (p)<-[:QUOTES]-() } AS quotes
     WHERE coalesce(p.reposts, 0) <> reposts OR coalesce(p.quotes, 0) <> quotes
     SET p.reposts = reposts, p.quotes = quotes`,
  );
}

/**
 * Runs `update` on every `(<variable>:<label>)`, in transactions of 10,000 nodes. CALL ... IN
 * TRANSACTIONS needs an auto-commit transaction: session.run, not executeQuery.
 */
export async function eachNode(driver: Driver, variable: string, label: string, update: string): Promise<void> {
  const session = driver.session();
  try {
    await session.run(`MATCH (${variable}:${label}) CALL { WITH ${variable} ${update} } IN TRANSACTIONS OF 10000 ROWS`);
  } finally {
    await session.close();
  }
}
