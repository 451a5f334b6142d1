import type { SqlMigration } from './migration.js';

/** Listings and their price history; indexes serve each list filter as a keyset seek on id. */
export const listingsMigration: SqlMigration = {
  async up(db, d) {
    await db.schema
      .createTable('listings')
      .addColumn('id', d.idType, (c) => c.primaryKey())
      .addColumn('owner_id', d.idType, (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('street_address', 'text', (c) => c.notNull())
      .addColumn('postal_code', 'text', (c) => c.notNull())
      .addColumn('city', 'text', (c) => c.notNull())
      .addColumn('city_key', 'text', (c) => c.notNull())
      .addColumn('country', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('building_type', 'text', (c) => c.notNull())
      .addColumn('latest_price_eur', 'double precision', (c) => c.notNull())
      .addColumn('surface_area_m2', 'double precision', (c) => c.notNull())
      .addColumn('rooms_count', 'integer', (c) => c.notNull())
      .addColumn('bedrooms_count', 'integer', (c) => c.notNull())
      .addColumn('contact_phone_number', 'text')
      .addColumn('price_seq', 'integer', (c) => c.notNull())
      .addColumn('created_date', d.timestampType, (c) => c.notNull())
      .addColumn('updated_date', d.timestampType, (c) => c.notNull())
      .execute();
    // ?city= and ?building_type= are equality + newest first: (key, id) seeks both.
    await db.schema.createIndex('listings_by_city').on('listings').columns(['city_key', 'id']).execute();
    await db.schema.createIndex('listings_by_type').on('listings').columns(['building_type', 'id']).execute();
    await db.schema.createIndex('listings_by_owner').on('listings').columns(['owner_id', 'id']).execute();

    await db.schema
      .createTable('listing_prices')
      .addColumn('listing_id', d.idType, (c) => c.notNull().references('listings.id').onDelete('cascade'))
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('price_eur', 'double precision', (c) => c.notNull())
      .addColumn('created_date', d.timestampType, (c) => c.notNull())
      .addPrimaryKeyConstraint('listing_prices_pk', ['listing_id', 'seq'])
      .execute();
  },
  async down(db) {
    await db.schema.dropTable('listing_prices').execute();
    await db.schema.dropTable('listings').execute();
  },
};
