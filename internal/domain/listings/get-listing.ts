import { isId } from '../shared/id-generator.js';
import { listingNotFound } from './errors.js';
import type { Listing } from './listing.js';
import type { ListingRepository } from './listing-repository.js';

export class GetListing {
  constructor(private readonly listings: ListingRepository) {}

  async execute(id: string): Promise<Listing> {
    const listing = isId(id) ? await this.listings.findById(id) : null;
    if (!listing) throw listingNotFound(id);
    return listing;
  }
}
