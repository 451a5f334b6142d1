import { listingNotFound } from './errors.js';
import type { PriceEntry } from './listing.js';
import type { ListingRepository } from './listing-repository.js';

export class GetPriceHistory {
  constructor(private readonly listings: ListingRepository) {}

  async execute(id: string): Promise<PriceEntry[]> {
    const prices = await this.listings.prices(id);
    if (prices.length === 0) throw listingNotFound(id);
    return prices;
  }
}
