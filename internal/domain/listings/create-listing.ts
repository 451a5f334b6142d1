import type { Clock } from '../shared/clock.js';
import type { IdGenerator } from '../shared/id-generator.js';
import { checkListingFields, type Listing, type ListingFields } from './listing.js';
import type { ListingRepository } from './listing-repository.js';

export class CreateListing {
  constructor(
    private readonly listings: ListingRepository,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  async execute(input: { ownerId: string; fields: ListingFields }): Promise<Listing> {
    const fields = checkListingFields(input.fields);
    const now = this.clock.now();
    const listing: Listing = { ...fields, id: this.ids.next(now), ownerId: input.ownerId, createdDate: now, updatedDate: now };
    await this.listings.create(listing);
    return listing;
  }
}
