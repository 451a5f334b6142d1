import { ForbiddenError } from '../shared/errors.js';
import { listingNotFound } from './errors.js';
import type { ListingRepository } from './listing-repository.js';

export class DeleteListing {
  constructor(private readonly listings: ListingRepository) {}

  async execute(input: { id: string; callerId: string }): Promise<void> {
    const current = await this.listings.findById(input.id);
    if (!current) throw listingNotFound(input.id);
    if (current.ownerId !== input.callerId) throw new ForbiddenError('Only the owner may delete this listing');
    await this.listings.delete(input.id);
  }
}
