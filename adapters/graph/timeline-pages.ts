import type { Driver } from 'neo4j-driver';
import { SESSION_NOT_LIVE, type IdRange, type SessionCheck, type TimelinePage, type TimelinePages } from '../../internal/domain/timelines/timeline-store.js';
import { toView, VIEW } from './post-repository.js';
import { int, toNumber, where, type Props } from './records.js';

/**
 * A following page from a timeline in one query, where the graph holds both timelines and posts:
 * what `Neo4jTimelineStore.read` and the posts' two reads (the timeline's ids, the celebrities'
 * newest) answer in three. The timeline's newest `limit` entries in the range (its (reader,
 * post_id) index), each celebrity's newest `limit` posts in the range (the (author_id, id)
 * index, one seek per celebrity), then the views of the newest `limit` of both, each once.
 * Every read seeks an index (PROFILE at 1M posts: about 200 db hits for u1's first page, views included).
 */
export class Neo4jTimelinePages implements TimelinePages {
  constructor(private readonly driver: Driver) {}

  async read(readerId: string, range: IdRange, limit: number, session?: SessionCheck): Promise<TimelinePage | null | typeof SESSION_NOT_LIVE> {
    const entryBounds = where('e.reader = t.reader', range.idFrom && 'e.post_id >= $from', range.idBefore && 'e.post_id < $before', "e.post_id > coalesce(t.floor, '')");
    // A composite index serves only a predicate on each of its properties: `p.id > ''` where no
    // bound names the id (without it, each celebrity's posts were a scan of every post: 1M
    // node hits, 3 s a page at 1M posts).
    const postBounds = where('p.author_id = author', range.idFrom ? 'p.id >= $from' : "p.id > ''", range.idBefore && 'p.id < $before');
    // With a session to confirm: the same MATCH as findBySession's, counted, and the timeline only while it is live.
    const timeline = session
      ? `OPTIONAL MATCH (u:User {id: $reader})-[:HAS_SESSION]->(s:Session {id: $session}) WHERE s.expires_at > $now AND u.username IS NOT NULL
         WITH count(s) > 0 AS live
         OPTIONAL MATCH (t:Timeline {reader: $reader}) WHERE live`
      : `WITH true AS live MATCH (t:Timeline {reader: $reader})`;
    const { records } = await this.driver.executeQuery(
      `${timeline}
       WITH live, t, COLLECT { MATCH (e:TimelineEntry) ${entryBounds} WITH e ORDER BY e.reader DESC, e.post_id DESC LIMIT $limit RETURN e.post_id } AS ids
       WITH live, t, ids, COLLECT {
         UNWIND coalesce(t.celebrities, []) AS author
         CALL { WITH author MATCH (p:Post) ${postBounds} WITH p ORDER BY p.author_id DESC, p.id DESC LIMIT $limit RETURN p.id AS id }
         RETURN id
       } AS newest
       RETURN live, t IS NOT NULL AS found, t.ready AS ready, t.floor AS floor, size(ids) AS entries,
         COLLECT { UNWIND ids + newest AS id WITH DISTINCT id ORDER BY id DESC LIMIT $limit MATCH (p:Post {id: id}) RETURN ${VIEW} } AS views`,
      {
        reader: readerId,
        from: range.idFrom ?? null,
        before: range.idBefore ?? null,
        limit: int(limit),
        session: session?.sessionId ?? null,
        now: session?.now.toISOString() ?? null,
      },
      { routing: 'READ' },
    );
    const row = records[0];
    if (session && row?.get('live') !== true) return SESSION_NOT_LIVE;
    if (!row || row.get('found') !== true) return null;
    const views = (row.get('views') as Props[]).map(toView).sort((a, b) => (a.post.id < b.post.id ? 1 : -1));
    return { ready: row.get('ready') === true, floor: (row.get('floor') as string | null) ?? null, entries: toNumber(row.get('entries')), views };
  }
}
