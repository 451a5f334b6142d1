import { MongoBulkWriteError, type Collection, type Document, type OptionalUnlessRequiredId } from 'mongodb';
import { isDuplicateKey } from './errors.js';

/** Inserts `doc` unless a unique key refuses it: false then. Any other failure is thrown. */
export async function insertIfAbsent<D extends Document>(collection: Collection<D>, doc: OptionalUnlessRequiredId<D>): Promise<boolean> {
  try {
    await collection.insertOne(doc);
    return true;
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    return false;
  }
}

/**
 * One unordered insertMany (the driver splits it into server-sized batches): every document is
 * tried, and one a unique key refuses is left out. Answers, for each document, whether it went
 * in; any other failure is thrown.
 */
export async function insertEach<D extends Document>(collection: Collection<D>, docs: readonly OptionalUnlessRequiredId<D>[]): Promise<boolean[]> {
  const inserted = docs.map(() => true);
  if (docs.length === 0) return inserted;
  try {
    await collection.insertMany([...docs], { ordered: false });
  } catch (err) {
    if (!(err instanceof MongoBulkWriteError)) throw err;
    const refusals = [err.writeErrors].flat();
    if (refusals.length === 0 || refusals.some((e) => e.code !== 11000)) throw err;
    for (const e of refusals) inserted[e.index] = false;
  }
  return inserted;
}
