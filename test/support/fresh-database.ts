import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import pg from 'pg';
import type { StoreKind } from '../../internal/app/config.js';

export interface FreshDatabase {
  /** Connection URL of a database no other test or run uses. */
  url?: string;
  drop(): Promise<void>;
}

function uniqueName(): string {
  return `agora_test_${process.pid}_${randomBytes(4).toString('hex')}`;
}

async function freshPostgres(serverUrl: string): Promise<FreshDatabase> {
  const name = uniqueName();
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

async function freshMongo(serverUrl: string): Promise<FreshDatabase> {
  const url = new URL(serverUrl);
  url.pathname = `/${uniqueName()}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new MongoClient(url.toString(), { serverSelectionTimeoutMS: 5_000 });
      try {
        await client.db().dropDatabase();
      } finally {
        await client.close();
      }
    },
  };
}

/** A fresh, isolated database on the server of `kind`, so tests never see each other's rows. */
export async function freshDatabase(kind: StoreKind, serverUrl: string | undefined): Promise<FreshDatabase> {
  switch (kind) {
    case 'sqlite':
      return { drop: async () => {} };
    case 'postgres':
      return freshPostgres(serverUrl!);
    case 'mongodb':
      return freshMongo(serverUrl!);
    case 'neo4j':
      // Community has one database: the run wiped it once at start (global-setup.ts), and
      // suites keep apart by their own random data.
      return { url: serverUrl!, drop: async () => {} };
    default:
      throw new Error(`no fresh-database recipe for ${kind}`);
  }
}
