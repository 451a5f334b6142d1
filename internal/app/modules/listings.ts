import { CreateListing } from '../../domain/listings/create-listing.js';
import { DeleteListing } from '../../domain/listings/delete-listing.js';
import { GetListing } from '../../domain/listings/get-listing.js';
import { GetPriceHistory } from '../../domain/listings/get-price-history.js';
import { ListListings } from '../../domain/listings/list-listings.js';
import { ReplaceListing } from '../../domain/listings/replace-listing.js';
import { listingRoutes } from '../http/routes/listings.js';
import { TOKENS as T } from '../tokens.js';
import { defineModule, portOf, type UseCaseFactories, type UseCasesOf } from './module.js';

const useCases = {
  createListing: (r) => new CreateListing(portOf(r, 'listings'), r.resolve(T.ids), r.resolve(T.clock)),
  replaceListing: (r) => new ReplaceListing(portOf(r, 'listings'), r.resolve(T.clock)),
  deleteListing: (r) => new DeleteListing(portOf(r, 'listings')),
  getListing: (r) => new GetListing(portOf(r, 'listings')),
  getPriceHistory: (r) => new GetPriceHistory(portOf(r, 'listings')),
  listListings: (r) => new ListListings(portOf(r, 'listings')),
} satisfies UseCaseFactories;

export type ListingUseCases = UseCasesOf<typeof useCases>;

/** Property listings and their price histories. */
export const listings = defineModule({ name: 'listings', useCases, routes: listingRoutes });
