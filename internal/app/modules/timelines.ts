import type { FollowingFeed } from '../../domain/posts/following-feed.js';
import { FeedUpdates } from '../../domain/timelines/feed-updates.js';
import { HomeTimeline } from '../../domain/timelines/home-timeline.js';
import { ProcessTimelineJobs } from '../../domain/timelines/process-timeline-jobs.js';
import type { Config } from '../config.js';
import type { Logger } from 'pino';
import { TimelineWorker } from '../timeline-worker.js';
import { TOKENS as T } from '../tokens.js';
import { defineModule, portOf, portToken, single, type UseCaseFactories } from './module.js';

/** The following feed by its definition (posts module): what timelines are built from and fall back to. */
export const PULL_FEED = Symbol('PullFollowingFeed');

/** Home timelines: the following feed precomputed on write (fan-out), and the worker that keeps them. */
export const timelines = defineModule({
  name: 'timelines',
  register(c, { config, storeOf, timed }) {
    // Where one store holds the timelines and the posts and follows their jobs describe, it may
    // commit the timelines' writes more cheaply (SQLite: without an fsync of their own).
    const { storage } = config;
    if (storage.timelines === storage.posts && storage.timelines === storage.follows) {
      const beside = storeOf('timelines').timelinesBesideTheirWrites?.();
      if (beside) c.register(portToken('timelines'), single(() => timed('timelines', beside, 'timelines')));
    }
    const rules = (r: Parameters<typeof portOf>[0]) => r.resolve<Config>(T.config).timelines;
    c.register(TimelineWorker, single((r) => {
      const jobs = new ProcessTimelineJobs(portOf(r, 'timelines'), portOf(r, 'posts'), portOf(r, 'follows'), r.resolve(T.clock), rules(r));
      return new TimelineWorker(jobs, rules(r).pollMs, r.resolve<Logger>(T.log));
    }));
    // A write names its job ready to the worker (`wake(jobId)`); a first read only wakes it (`wake()`).
    c.register(FeedUpdates, single((r) => new FeedUpdates(portOf(r, 'timelines'), r.resolve(T.clock), r.resolve(TimelineWorker).wake)));
    c.register<FollowingFeed>(
      HomeTimeline,
      single((r) => {
        // One call per page where the store holding the timelines holds the posts too; an
        // authenticated page confirms its session in that call where it holds the users too.
        const pages = config.storage.timelines === config.storage.posts ? storeOf('timelines').timelinePages?.() : undefined;
        return new HomeTimeline(portOf(r, 'timelines'), r.resolve<FollowingFeed>(PULL_FEED), portOf(r, 'posts'), r.resolve(T.clock), {
          wake: r.resolve(TimelineWorker).wake,
          ...(pages ? { pages: timed('timelines', pages, 'timeline_pages'), pagesHoldSessions: config.storage.users === config.storage.timelines } : {}),
        });
      }),
    );
  },
  useCases: {} satisfies UseCaseFactories,
  routes: async () => {},
});
