import { InvalidRangeError } from '../shared/errors.js';
import type { Page, PageRequest } from '../shared/page.js';
import type { Listing } from './listing.js';
import type { ListingFilter, ListingRepository } from './listing-repository.js';

export class ListListings {
  constructor(private readonly listings: ListingRepository) {}

  execute(input: { filter: ListingFilter; page: PageRequest }): Promise<Page<Listing>> {
    const { minPrice, maxPrice } = input.filter;
    if (minPrice !== undefined && maxPrice !== undefined && minPrice > maxPrice) {
      throw new InvalidRangeError('min_price', 'must not exceed max_price');
    }
    return this.listings.page(input.filter, input.page);
  }
}
