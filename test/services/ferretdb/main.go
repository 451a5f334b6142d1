// Command ferretdb-launcher serves the MongoDB wire protocol for Agora's tests on machines
// without Docker: FerretDB v1's embeddable package with its PostgreSQL backend, on loopback.
//
// It embeds the library (github.com/FerretDB/FerretDB/ferretdb) rather than building
// FerretDB's own command, whose version check panics outside FerretDB's release tooling.
// The embedded package also turns telemetry off (and locks it off).
package main

import (
	"context"
	"flag"
	"log"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen-addr", "127.0.0.1:27017", "TCP address to serve the MongoDB wire protocol on")
	// pgx's pool settings ride on the URL (pool_max_conns=...); FerretDB's default pool is 50.
	pgURL := flag.String("postgresql-url", "", "PostgreSQL URL of the database FerretDB stores everything in, e.g. postgres://user:pass@127.0.0.1:5432/ferretdb?pool_max_conns=20")
	flag.Parse()
	if *pgURL == "" {
		log.Fatal("-postgresql-url is required")
	}

	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:      ferretdb.ListenerConfig{TCP: *listen},
		Logger:        logger,
		Handler:       "postgresql",
		PostgreSQLURL: *pgURL,
	})
	if err != nil {
		log.Fatal(err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	log.Printf("ready: serving %s", f.MongoDBURI())
	if err := f.Run(ctx); err != nil {
		log.Fatal(err)
	}
}
