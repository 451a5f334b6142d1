import { listingNotFound } from './errors.js';
import type { Listing } from './listing.js';
import type { ListingRepository } from './listing-repository.js';

export class GetListing {
  constructor(private readonly listings: ListingRepository) {}

  async execute(id: string): Promise<Listing> {
    const listing = await this.listings.findById(id);
    if (!listing) throw listingNotFound(id);
    return listing;
  }
}
