import type { Clock } from '../shared/clock.js';
import { ForbiddenError } from '../shared/errors.js';
import { listingNotFound } from './errors.js';
import { checkListingFields, type Listing, type ListingFields } from './listing.js';
import type { ListingRepository } from './listing-repository.js';

export class ReplaceListing {
  constructor(
    private readonly listings: ListingRepository,
    private readonly clock: Clock,
  ) {}

  async execute(input: { id: string; callerId: string; fields: ListingFields }): Promise<Listing> {
    const fields = checkListingFields(input.fields);
    const current = await this.listings.findById(input.id);
    if (!current) throw listingNotFound(input.id);
    if (current.ownerId !== input.callerId) throw new ForbiddenError('Only the owner may change this listing');
    const replaced = await this.listings.replace({ ...current, ...fields, updatedDate: this.clock.now() });
    if (!replaced) throw listingNotFound(input.id);
    return replaced;
  }
}
