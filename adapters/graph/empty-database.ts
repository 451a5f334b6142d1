import neo4j from 'neo4j-driver';

/**
 * Deletes every node and relationship of the server's database, in batches so a large graph
 * does not need one huge transaction. For disposable servers only (tests, benchmarks): Neo4j
 * Community has a single database, so this is how a run starts from nothing.
 */
export async function emptyNeo4jDatabase(url: string, user = 'neo4j', password = ''): Promise<void> {
  const driver = neo4j.driver(url, password ? neo4j.auth.basic(user, password) : undefined);
  // CALL ... IN TRANSACTIONS needs an auto-commit transaction: session.run, not executeQuery.
  const session = driver.session();
  try {
    // Relationships first, then nodes: each transaction then holds at most 10,000 entities,
    // where DETACH DELETE of 10,000 nodes would also take all their relationships (a
    // celebrity's followers) and can exceed the server's transaction memory.
    await session.run('MATCH ()-[r]->() CALL { WITH r DELETE r } IN TRANSACTIONS OF 10000 ROWS');
    await session.run('MATCH (n) CALL { WITH n DELETE n } IN TRANSACTIONS OF 10000 ROWS');
  } finally {
    await session.close();
    await driver.close();
  }
}
