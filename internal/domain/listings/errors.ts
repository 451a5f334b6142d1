import { NotFoundError } from '../shared/errors.js';

export function listingNotFound(id: string): NotFoundError {
  return new NotFoundError('LISTING_NOT_FOUND', `No listing has the id "${id}"`);
}
