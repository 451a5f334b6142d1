import { randomUUID } from 'node:crypto';
import type { Collection, Document, Filter, OptionalUnlessRequiredId } from 'mongodb';
import { insertIfAbsent } from './inserts.js';

/**
 * A value that racing writers change without transactions and without updates, for FerretDB v1:
 * it neither isolates an update (it reads the document, applies the operators in its own process
 * and writes the whole document back, so concurrent changes are lost) nor, with its PostgreSQL
 * backend, survives many of them (an update holds the connection of its read while it takes
 * another for its write: as many updates at once as its pool has connections, or one command
 * holding that many update statements, wait for each other for ever). Inserts and deletes it does
 * decide atomically, and a delete reports exactly what it deleted.
 *
 * So the value is a chain of versions, each its own document under a unique `_id`, the highest
 * version being the value. A writer reads the head and `advance`s: it inserts the next version
 * under the `_id` that only a successor of that head takes (of racing writers one wins), then
 * deletes the head. The delete is the check that its insert continued the chain: only the writer
 * that inserted the successor deletes a head, so it finds the head unless the chain had already
 * moved past the successor, and the successor had been deleted in turn (a writer whose read was
 * that stale would otherwise reuse the freed `_id`); it then removes its own version, which nobody
 * reads as the head (a higher one exists), and reads again.
 *
 * A freed `_id` can be taken again, though: by a writer whose read was that stale, or by a chain
 * started anew (a counter's version 0 inserted again by a writer that saw no version). So every
 * version also carries a token `t`, new with each insert, and both deletes name the document
 * they mean by `_id` *and* token: a head read long ago is never confused with a later document
 * under its `_id`, whose deletion would confirm a step nobody builds on (a lost count, seen under
 * 30 parallel first follows of one account on FerretDB).
 *
 * Two gaps remain, both needing the head's writer to stall between its insert and its delete:
 * - it dies there: the old head stays behind, and a writer whose read was older than both that
 *   insert and the next step finds it and keeps a version nobody builds on (its step lost);
 * - meanwhile another writer builds on its version and frees that version's `_id`, and a writer
 *   that had read the same head takes the freed `_id` and deletes the head first: that step is
 *   confirmed but built on by nobody, and the stalled writer, whose version *was* built on,
 *   finds its head gone and applies its step again. A count stays exact when the two steps are
 *   equal (+1 and +1); a +1 and a -1 leave it off by two.
 * Whoever owns the chain can repair it (counters are rebuilt by BulkSeeder.finish and
 * ModuleTransfer.finish). Neither was seen in the test runs; the gap the tokens close was.
 */
export async function advance<D extends Document & Version>(
  collection: Collection<D>,
  head: Version,
  next: OptionalUnlessRequiredId<D> & { _id: string },
): Promise<boolean> {
  const t = newToken();
  if (!(await insertIfAbsent(collection, { ...next, t }))) return false;
  if ((await collection.deleteOne(sameVersion(head) as Filter<D>)).deletedCount === 1) return true;
  await collection.deleteOne({ _id: next._id, t } as Filter<D>);
  return false;
}

/** A document of a chain: its `_id`, and the token of the insert that made it (absent on versions written before tokens). */
export interface Version {
  _id: string;
  t?: string;
}

/** A token for a version about to be inserted outside `advance` (a chain's first version). */
export function newToken(): string {
  return randomUUID();
}

/** The filter that names exactly this version: its `_id` and its token. */
function sameVersion(version: Version): object {
  return { _id: version._id, t: version.t ?? { $exists: false } };
}

/** Versions sort as their `_id`s do: `<chain>#<v, 12 digits>`. */
export function versionId(chain: string, v: number): string {
  return `${chain}#${String(v).padStart(12, '0')}`;
}

/** A random pause that grows with the races lost, so writers of one chain stop colliding. */
export function backOff(lost: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(2 ** lost, 50)));
}
