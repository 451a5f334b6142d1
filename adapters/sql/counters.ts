import { sql, type QueryExecutorProvider } from 'kysely';

/**
 * The counters a bulk load (seeding, a transfer, an import, the migration that added them)
 * does not keep row by row, rebuilt from the rows with set-based statements. Run inside one
 * transaction, so readers see the old counters or the new ones.
 */

/** Every user's followers and following counters, from the follows. */
export async function recountFollows(db: QueryExecutorProvider): Promise<void> {
  await sql`delete from follow_counts`.execute(db);
  await sql`
    insert into follow_counts (user_id, followers, following)
    select user_id, sum(followers), sum(following) from (
      select followee_id as user_id, count(*) as followers, 0 as following from follows group by followee_id
      union all
      select follower_id as user_id, 0 as followers, count(*) as following from follows group by follower_id
    ) as c group by user_id`.execute(db);
}

/** Every author's posts counter and every post's repost and quote counters, from the posts. */
export async function recountPosts(db: QueryExecutorProvider): Promise<void> {
  await sql`delete from post_counts`.execute(db);
  await sql`insert into post_counts (author_id, posts) select author_id, count(*) from posts group by author_id`.execute(db);
  await sql`update posts set repost_count = 0, quote_count = 0 where repost_count <> 0 or quote_count <> 0`.execute(db);
  await sql`
    update posts set repost_count = c.reposts, quote_count = c.quotes
    from (
      select original_id,
        sum(case when kind = 'repost' then 1 else 0 end) as reposts,
        sum(case when kind = 'quote' then 1 else 0 end) as quotes
      from posts where original_id is not null group by original_id
    ) as c
    where posts.id = c.original_id`.execute(db);
}
