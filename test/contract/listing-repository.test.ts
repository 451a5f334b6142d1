import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ListingRepository } from '../../internal/domain/listings/listing-repository.js';
import { buildListing, newId } from '../support/builders.js';
import { describeEachStore, openTestStore, providing, type TestStore } from '../support/store-matrix.js';
import { MALFORMED_IDS } from './malformed-ids.js';

export function listingRepositoryContract(open: () => Promise<TestStore>): void {
  let t: TestStore;
  let listings: ListingRepository;
  beforeAll(async () => {
    t = await open();
    listings = t.store.ports.listings();
  });
  afterAll(() => t?.close());

  const later = (ms: number) => new Date(Date.now() + ms);

  it('stores a listing with its creation price as the first history entry', async () => {
    const listing = buildListing({ contactPhoneNumber: null });
    await listings.create(listing);
    expect(await listings.findById(listing.id)).toEqual(listing);
    expect(await listings.prices(listing.id)).toEqual([{ listingId: listing.id, priceEur: 100_000, createdDate: listing.createdDate }]);
    expect(await listings.findById(newId())).toBeNull();
    expect(await listings.prices(newId())).toEqual([]);
  });

  it('appends history only when the price changes: 100k, 150k, same price, 200k gives three entries', async () => {
    const listing = buildListing({ latestPriceEur: 100_000 });
    await listings.create(listing);
    await listings.replace({ ...listing, latestPriceEur: 150_000, updatedDate: later(1) });
    const renamed = await listings.replace({ ...listing, latestPriceEur: 150_000, name: 'Renamed', updatedDate: later(2) });
    expect(renamed?.name).toBe('Renamed');
    const third = later(3);
    const last = await listings.replace({ ...listing, latestPriceEur: 200_000, name: 'Renamed', updatedDate: third });
    expect(last?.latestPriceEur).toBe(200_000);
    expect(last?.createdDate).toEqual(listing.createdDate);
    const history = await listings.prices(listing.id);
    expect(history.map((p) => p.priceEur)).toEqual([100_000, 150_000, 200_000]);
    expect(history[0]?.createdDate).toEqual(listing.createdDate);
    expect(history[2]?.createdDate).toEqual(third);
    expect((await listings.findById(listing.id))?.latestPriceEur).toBe(200_000);
  });

  it('keeps the history ending at the stored price under 20 concurrent replaces', async () => {
    const listing = buildListing({ latestPriceEur: 1 });
    await listings.create(listing);
    const prices = Array.from({ length: 20 }, (_, i) => (i % 4) * 1000 + 2);
    await Promise.all(prices.map((p, i) => listings.replace({ ...listing, latestPriceEur: p, updatedDate: later(i) })));
    const stored = await listings.findById(listing.id);
    const history = await listings.prices(listing.id);
    expect(history.at(-1)?.priceEur).toBe(stored?.latestPriceEur);
    for (let i = 1; i < history.length; i++) expect(history[i]!.priceEur).not.toBe(history[i - 1]!.priceEur);
    expect(history.length).toBeGreaterThanOrEqual(2);
    expect(history.length).toBeLessThanOrEqual(21);
  });

  it.each(MALFORMED_IDS)('when an id is malformed (%j), then it names no listing, and nothing fails', async (id) => {
    expect(await listings.findById(id)).toBeNull();
    expect(await listings.replace(buildListing({ id }))).toBeNull();
    expect(await listings.delete(id)).toBe(false);
    expect(await listings.prices(id)).toEqual([]);
  });

  it('answers null when replacing a listing that is gone, and delete removes the history', async () => {
    const listing = buildListing();
    await listings.create(listing);
    await listings.replace({ ...listing, latestPriceEur: 5, updatedDate: later(1) });
    expect(await listings.delete(listing.id)).toBe(true);
    expect(await listings.delete(listing.id)).toBe(false);
    expect(await listings.findById(listing.id)).toBeNull();
    expect(await listings.prices(listing.id)).toEqual([]);
    expect(await listings.replace({ ...listing, latestPriceEur: 9 })).toBeNull();
  });

  it('filters by city ignoring case, type and price range, in keyset pages newest first', async () => {
    const city = `Lyon${Math.random().toString(36).slice(2, 8)}`;
    const made: string[] = [];
    for (let i = 0; i < 6; i++) {
      const listing = buildListing({
        createdDate: later(i),
        updatedDate: later(i),
        latestPriceEur: i * 100,
        buildingType: i % 2 ? 'HOUSE' : 'STUDIO',
        postalAddress: { streetAddress: 's', postalCode: 'p', city: i === 5 ? city.toUpperCase() : city, country: 'FR' },
      });
      await listings.create(listing);
      made.push(listing.id);
    }
    const ids = async (filter: Parameters<ListingRepository['page']>[0]) => {
      const seen: string[] = [];
      let before: string | undefined;
      do {
        const page = await listings.page(filter, { limit: 2, ...(before ? { before } : {}) });
        seen.push(...page.items.map((l) => l.id));
        before = page.next ?? undefined;
      } while (before);
      return seen;
    };
    expect(await ids({ city: ` ${city.toLowerCase()} ` })).toEqual([...made].reverse());
    expect(await ids({ city, buildingType: 'HOUSE' })).toEqual([made[5], made[3], made[1]]);
    expect(await ids({ city, minPrice: 200, maxPrice: 400 })).toEqual([made[4], made[3], made[2]]);
    expect(await ids({ city: 'nowhere-at-all' })).toEqual([]);
  });
}

describeEachStore('ListingRepository contract', (kind) => listingRepositoryContract(() => openTestStore(kind)), providing('listings'));
