import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listingBody, newId } from '../support/builders.js';
import { openTestApp, problemOf, signUp, type Session, type TestApp } from '../support/http.js';
import { describeEachStore } from '../support/store-matrix.js';


describeEachStore('listings over HTTP', (kind) => {
  let t: TestApp;
  let owner: Session;
  let other: Session;
  beforeAll(async () => {
    t = await openTestApp(kind);
    owner = await signUp(t.app);
    other = await signUp(t.app);
  });
  afterAll(() => t?.close());

  const create = (payload: object, s: Session = owner) => t.app.inject({ method: 'POST', url: '/api/listings', payload, headers: s.headers });
  const put = (id: string, payload: object, s: Session = owner) => t.app.inject({ method: 'PUT', url: `/api/listings/${id}`, payload, headers: s.headers });
  const get = (url: string) => t.app.inject({ method: 'GET', url });

  it('when a listing is created, then 201 with Location, and its history starts at the creation price', async () => {
    const res = await create(listingBody());
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(res.headers.location).toBe(`/api/listings/${body.id}`);
    expect(body).toMatchObject({ ...listingBody(), id: body.id });
    expect((await get(`/api/listings/${body.id}`)).json()).toEqual(body);
    const prices = (await get(`/api/listings/${body.id}/prices`)).json();
    expect(prices).toEqual([{ price_eur: 100_000, created_date: body.created_date, listing_id: body.id }]);
  });

  it('when the price goes 100k, 150k, (other fields), 200k, then the history has exactly those three, oldest first', async () => {
    const { id } = (await create(listingBody())).json();
    expect((await put(id, listingBody({ latest_price_eur: 150_000 }))).statusCode).toBe(200);
    const renamed = await put(id, listingBody({ latest_price_eur: 150_000, name: 'Renamed studio', contact_phone_number: undefined }));
    expect(renamed.json().name).toBe('Renamed studio');
    expect(renamed.json()).not.toHaveProperty('contact_phone_number');
    const last = await put(id, listingBody({ latest_price_eur: 200_000, name: 'Renamed studio' }));
    expect(last.json().latest_price_eur).toBe(200_000);
    const prices = (await get(`/api/listings/${id}/prices`)).json();
    expect(prices.map((p: { price_eur: number }) => p.price_eur)).toEqual([100_000, 150_000, 200_000]);
    expect(prices.at(-1).created_date).toBe(last.json().updated_date);
  });

  it('when another user replaces or deletes a listing, then 403 and nothing changes; no token 401', async () => {
    const created = (await create(listingBody())).json();
    const res = await put(created.id, listingBody({ latest_price_eur: 1 }), other);
    expect(res.statusCode).toBe(403);
    expect(problemOf(res).code).toBe('FORBIDDEN');
    const del = await t.app.inject({ method: 'DELETE', url: `/api/listings/${created.id}`, headers: other.headers });
    expect(del.statusCode).toBe(403);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/listings/${created.id}` })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/api/listings', payload: listingBody() })).statusCode).toBe(401);
    expect((await get(`/api/listings/${created.id}`)).json()).toEqual(created);
    expect((await get(`/api/listings/${created.id}/prices`)).json()).toHaveLength(1);
  });

  it('when the owner deletes a listing, then 204 and it and its history are gone', async () => {
    const { id } = (await create(listingBody())).json();
    const del = await t.app.inject({ method: 'DELETE', url: `/api/listings/${id}`, headers: owner.headers });
    expect(del.statusCode).toBe(204);
    for (const url of [`/api/listings/${id}`, `/api/listings/${id}/prices`]) {
      const res = await get(url);
      expect(res.statusCode).toBe(404);
      expect(problemOf(res).code).toBe('LISTING_NOT_FOUND');
    }
    expect((await put(id, listingBody())).statusCode).toBe(404);
    expect((await get(`/api/listings/not-an-id`)).statusCode).toBe(404);
    expect((await get(`/api/listings/${newId()}`)).statusCode).toBe(404);
  });

  describe('validation', () => {
    it.each([
      ['a negative price', { latest_price_eur: -1 }, 'latest_price_eur'],
      ['a price as text', { latest_price_eur: '100000' }, 'latest_price_eur'],
      ['zero rooms', { rooms_count: 0 }, 'rooms_count'],
      ['fractional rooms', { rooms_count: 1.5 }, 'rooms_count'],
      ['an unknown building type', { building_type: 'CASTLE' }, 'building_type'],
      ['a bad phone number', { contact_phone_number: '0612345678' }, 'contact_phone_number'],
      ['an unknown country', { postal_address: { street_address: 'a', postal_code: 'b', city: 'c', country: 'XX' } }, 'postal_address.country'],
      ['a lower-case country', { postal_address: { street_address: 'a', postal_code: 'b', city: 'c', country: 'fr' } }, 'postal_address.country'],
      ['a blank name', { name: '   ' }, 'name'],
      ['an empty city', { postal_address: { street_address: 'a', postal_code: 'b', city: '', country: 'FR' } }, 'postal_address.city'],
      ['an unknown field', { garden: true }, 'garden'],
      ['a missing description', { description: undefined }, 'description'],
    ])('when the body has %s, then 400 naming %s and nothing is written', async (_case, overrides, field) => {
      const before = (await get('/api/listings?limit=100')).json().items.length;
      const res = await create(listingBody(overrides));
      expect(res.statusCode).toBe(400);
      expect(problemOf(res).errors?.map((e) => e.field)).toContain(field);
      expect((await get('/api/listings?limit=100')).json().items.length).toBe(before);
    });

    it('when a PUT is invalid or has more bedrooms than rooms, then 400 or 422 and the listing is unchanged', async () => {
      const created = (await create(listingBody())).json();
      const invalid = await put(created.id, listingBody({ rooms_count: 0, latest_price_eur: 5 }));
      expect(invalid.statusCode).toBe(400);
      const inverted = await put(created.id, listingBody({ rooms_count: 1, bedrooms_count: 2, latest_price_eur: 5 }));
      expect(inverted.statusCode).toBe(422);
      expect(problemOf(inverted).code).toBe('INVALID_RANGE');
      expect((await get(`/api/listings/${created.id}`)).json()).toEqual(created);
      expect((await get(`/api/listings/${created.id}/prices`)).json()).toHaveLength(1);
    });

    it('when a listing has more bedrooms than rooms, then 422 INVALID_RANGE and nothing is written', async () => {
      const before = (await get('/api/listings?limit=100')).json().items.length;
      const res = await create(listingBody({ rooms_count: 2, bedrooms_count: 3 }));
      expect(res.statusCode).toBe(422);
      expect(problemOf(res).code).toBe('INVALID_RANGE');
      expect((await get('/api/listings?limit=100')).json().items.length).toBe(before);
    });
  });

  it('when listing with filters, then only matches come, newest first; bad filters are 400', async () => {
    const city = `Nice${Math.random().toString(36).slice(2, 7)}`;
    const address = { street_address: 'x', postal_code: '06000', city, country: 'FR' };
    const a = (await create(listingBody({ postal_address: address, latest_price_eur: 300, building_type: 'HOUSE', rooms_count: 3 }))).json();
    const b = (await create(listingBody({ postal_address: address, latest_price_eur: 500 }))).json();
    const ids = async (q: string) => (await get(`/api/listings?${q}`)).json().items.map((l: { id: string }) => l.id);
    expect(await ids(`city=${city.toUpperCase()}`)).toEqual([b.id, a.id]);
    expect(await ids(`city=${city}&building_type=HOUSE`)).toEqual([a.id]);
    expect(await ids(`city=${city}&min_price=400`)).toEqual([b.id]);
    expect(await ids(`city=${city}&max_price=400&limit=1`)).toEqual([a.id]);
    for (const q of ['building_type=castle', 'min_price=-1', 'limit=0', 'colour=red']) {
      const res = await get(`/api/listings?${q}`);
      expect(res.statusCode, q).toBe(400);
    }
    // Each bound is valid; together they ask for nothing: unprocessable, not malformed.
    const inverted = await get('/api/listings?min_price=5&max_price=1');
    expect(inverted.statusCode).toBe(422);
    expect(problemOf(inverted).code).toBe('INVALID_RANGE');
  });
});
