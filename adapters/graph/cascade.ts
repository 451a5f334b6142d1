import type { Driver } from 'neo4j-driver';
import { toNumber } from './records.js';

/**
 * Deletes the `(:<label> {id})` node and every `(:<part>)` it holds by a `rel` relationship, in
 * one statement (one transaction), so no part outlives its whole; true when the node existed.
 * Labels and types are this adapter's constants: Cypher takes no parameters for them.
 */
export async function deleteWithParts(driver: Driver, node: { label: string; rel: string; part: string }, id: string): Promise<boolean> {
  const { records } = await driver.executeQuery(
    `MATCH (n:${node.label} {id: $id})
     OPTIONAL MATCH (n)-[:${node.rel}]->(p:${node.part})
     DETACH DELETE p
     WITH DISTINCT n
     DETACH DELETE n
     RETURN count(n) AS deleted`,
    { id },
  );
  return toNumber(records[0]?.get('deleted')) > 0;
}
