package agora;

import java.nio.file.Path;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.ByteUnit;

/**
 * Neo4j Community embedded, serving Bolt on loopback with auth off: a real Neo4j for
 * Agora's tests on machines without Docker. Usage: Neo4jLauncher DATA_DIR [PORT [PAGECACHE_MB]]
 * (the page cache defaults to 256 MiB, enough for the tests; a benchmark's graph wants its
 * store's size).
 */
public final class Neo4jLauncher {
  public static void main(String[] args) {
    if (args.length < 1) {
      System.err.println("usage: Neo4jLauncher DATA_DIR [PORT [PAGECACHE_MB]]");
      System.exit(2);
    }
    int port = args.length > 1 ? Integer.parseInt(args[1]) : 7687;
    long pageCacheMb = args.length > 2 ? Long.parseLong(args[2]) : 256;
    DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(Path.of(args[0]))
        .setConfig(BoltConnector.enabled, true)
        .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
        .setConfig(GraphDatabaseSettings.auth_enabled, false)
        .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(pageCacheMb))
        .build();
    Runtime.getRuntime().addShutdownHook(new Thread(dbms::shutdown));
    // Opening the default database waits until it is available to Bolt clients.
    dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME).executeTransactionally("RETURN 1");
    System.out.println("ready: bolt://127.0.0.1:" + port);
  }
}
