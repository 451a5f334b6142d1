import { describe, expect, it } from 'vitest';
import { checkListingFields, cityKey, type ListingFields } from '../../internal/domain/listings/listing.js';
import { InvalidRangeError, ValidationError } from '../../internal/domain/shared/errors.js';
import { buildListing } from '../support/builders.js';

const valid: ListingFields = buildListing();

function problemsOf(fields: Partial<ListingFields>): string[] {
  try {
    checkListingFields({ ...valid, ...fields });
    return [];
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    return err.problems.map((p) => p.field);
  }
}

describe('listing rules', () => {
  it('when every field is valid, then it passes unchanged', () => {
    expect(checkListingFields(valid)).toEqual(valid);
  });

  it.each([
    [{ bedroomsCount: -1 }, 'bedrooms_count'],
    [{ roomsCount: 0 }, 'rooms_count'],
    [{ latestPriceEur: -0.01 }, 'latest_price_eur'],
    [{ latestPriceEur: Number.NaN }, 'latest_price_eur'],
    [{ surfaceAreaM2: -1 }, 'surface_area_m2'],
    [{ contactPhoneNumber: '+0123' }, 'contact_phone_number'],
    [{ contactPhoneNumber: '+1234567890123456' }, 'contact_phone_number'],
    [{ name: ' ' }, 'name'],
    [{ postalAddress: { ...valid.postalAddress, country: 'UK' } }, 'postal_address.country'],
    [{ postalAddress: { ...valid.postalAddress, postalCode: '' } }, 'postal_address.postal_code'],
  ])('when %j, then %s is refused', (fields, field) => {
    expect(problemsOf(fields)).toContain(field);
  });

  it('when there are more bedrooms than rooms, then the range is refused as unprocessable', () => {
    expect(() => checkListingFields({ ...valid, bedroomsCount: 3, roomsCount: 2 })).toThrow(InvalidRangeError);
  });

  it('when bedrooms equal rooms or the phone is absent, then it passes', () => {
    expect(problemsOf({ bedroomsCount: 2, roomsCount: 2, contactPhoneNumber: null })).toEqual([]);
    expect(problemsOf({ postalAddress: { ...valid.postalAddress, country: 'GB' } })).toEqual([]);
  });

  it('when cities differ only in case or spaces, then they share a key', () => {
    expect(cityKey('  PARIS ')).toBe(cityKey('paris'));
  });
});
