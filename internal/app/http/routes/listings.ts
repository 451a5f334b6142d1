import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { encodeCursor, pageRequest } from '../../../domain/shared/page.js';
import type { Config } from '../../config.js';
import type { ListingUseCases } from '../../modules/listings.js';
import { IdParams, Named, NoContent, PageQuery, responses } from '../schemas/common.js';
import { ListingBody, ListingOut, ListingPage, ListingQuery, PriceOut, listingFields, listingOut, priceOut } from '../schemas/listings.js';

export const listingRoutes: FastifyPluginAsyncTypebox<{ uc: ListingUseCases; config: Config }> = async (app, { uc }) => {
  const tags = ['listings'];
  const required = { auth: 'required' } as const;

  app.post('/api/listings', {
    config: required,
    schema: {
      operationId: 'createListing',
      tags,
      summary: 'Create a listing (its first price-history entry too)',
      body: ListingBody,
      response: responses({ 201: Named(ListingOut) }, [400, 422]),
    },
  }, async (request, reply) => {
    const listing = await uc.createListing.execute({ ownerId: request.user!.id, fields: listingFields(request.body) });
    return reply.code(201).header('location', `/api/listings/${listing.id}`).send(listingOut(listing));
  });

  app.get('/api/listings', {
    schema: {
      operationId: 'listListings',
      tags,
      summary: 'Listings, newest first',
      querystring: Type.Object({ ...PageQuery, ...ListingQuery }, { additionalProperties: false }),
      response: responses({ 200: Named(ListingPage) }, [400, 422]),
    },
  }, async (request) => {
    const { limit, cursor, city, building_type, min_price, max_price } = request.query;
    const page = await uc.listListings.execute({
      page: pageRequest(limit, cursor),
      filter: {
        ...(city === undefined ? {} : { city }),
        ...(building_type === undefined ? {} : { buildingType: building_type }),
        ...(min_price === undefined ? {} : { minPrice: min_price }),
        ...(max_price === undefined ? {} : { maxPrice: max_price }),
      },
    });
    return { items: page.items.map(listingOut), next_cursor: page.next && encodeCursor(page.next) };
  });

  app.get('/api/listings/:id', {
    schema: { operationId: 'getListing', tags, summary: 'One listing', params: IdParams, response: responses({ 200: Named(ListingOut) }, [404]) },
  }, async (request) => listingOut(await uc.getListing.execute(request.params.id)));

  app.put('/api/listings/:id', {
    config: required,
    schema: {
      operationId: 'replaceListing',
      tags,
      summary: 'Replace a listing (owner only); a changed price appends to its history',
      params: IdParams,
      body: ListingBody,
      response: responses({ 200: Named(ListingOut) }, [400, 403, 404, 422]),
    },
  }, async (request) => {
    const listing = await uc.replaceListing.execute({ id: request.params.id, callerId: request.user!.id, fields: listingFields(request.body) });
    return listingOut(listing);
  });

  app.delete('/api/listings/:id', {
    config: required,
    schema: { operationId: 'deleteListing', tags, summary: 'Delete a listing and its history (owner only)', params: IdParams, response: responses({ 204: NoContent }, [403, 404]) },
  }, async (request, reply) => {
    await uc.deleteListing.execute({ id: request.params.id, callerId: request.user!.id });
    return reply.code(204).send();
  });

  app.get('/api/listings/:id/prices', {
    schema: {
      operationId: 'getPriceHistory',
      tags,
      summary: 'Price history, oldest first (the first entry is the creation price)',
      params: IdParams,
      response: responses({ 200: Type.Array(Named(PriceOut)) }, [404]),
    },
  }, async (request) => (await uc.getPriceHistory.execute(request.params.id)).map(priceOut));
};
