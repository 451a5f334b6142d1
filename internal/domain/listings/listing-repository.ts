import type { Page, PageRequest } from '../shared/page.js';
import type { BuildingType, Listing, PriceEntry } from './listing.js';

export interface ListingFilter {
  /** Compared through cityKey(). */
  city?: string;
  buildingType?: BuildingType;
  minPrice?: number;
  maxPrice?: number;
}

/**
 * An id that names no listing, malformed ones included (`''`, `'nope'`), is an unknown id:
 * lookups and replaces answer null, deletes false, the history nothing, never an error.
 */
export interface ListingRepository {
  /** Stores the listing and its first price entry (its price at `createdDate`), atomically. */
  create(listing: Listing): Promise<void>;
  /**
   * Replaces the listing's fields and, in the same atomic unit, appends a price entry
   * (`latestPriceEur` at `updatedDate`) when the stored price differs. Concurrent replaces
   * are serialised so the history always ends at the stored price. Null when it is gone.
   */
  replace(listing: Listing): Promise<Listing | null>;
  findById(id: string): Promise<Listing | null>;
  /** Newest first. */
  page(filter: ListingFilter, request: PageRequest): Promise<Page<Listing>>;
  /** Removes the listing and its history; false when there was none. */
  delete(id: string): Promise<boolean>;
  /** Oldest first; empty when the listing does not exist. */
  prices(listingId: string): Promise<PriceEntry[]>;
}
