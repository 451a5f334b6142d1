import { MongoNetworkError, MongoNetworkTimeoutError, MongoServerError } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { isDuplicateKey, isMongoUnavailable } from '../../adapters/document/errors.js';
import { databaseName } from '../../adapters/document/mongo-store.js';
import { literalPattern } from '../../adapters/document/post-repository.js';

describe('the MongoDB adapter helpers', () => {
  // Server selection timeouts are exercised for real by test/http/store-outage.test.ts.
  it('when the server cannot be reached, then the error is "unavailable"; a bad query is not', () => {
    expect(isMongoUnavailable(new MongoNetworkError('connection reset'))).toBe(true);
    expect(isMongoUnavailable(new MongoNetworkTimeoutError('timed out'))).toBe(true);
    expect(isMongoUnavailable(new MongoServerError({ code: 91, errmsg: 'shutting down' }))).toBe(true);
    expect(isMongoUnavailable(new MongoServerError({ code: 2, errmsg: 'bad value' }))).toBe(false);
    expect(isMongoUnavailable(new Error('ECONNREFUSED'))).toBe(false);
  });

  it('when a unique index is violated (with or without the index named), then it is a duplicate key', () => {
    expect(isDuplicateKey(new MongoServerError({ code: 11000, errmsg: 'E11000 duplicate key error collection: a.posts' }))).toBe(true);
    const ferretUpdate = 'constraint failed: UNIQUE constraint failed: index \'blogs_0f1e_slug_1\' (2067)';
    expect(isDuplicateKey(new MongoServerError({ code: 1, codeName: 'InternalError', errmsg: ferretUpdate }))).toBe(true);
    expect(isDuplicateKey(new MongoServerError({ code: 11001, errmsg: 'other' }))).toBe(false);
    expect(isDuplicateKey({ code: 11000 })).toBe(false);
  });

  it('when text holds regex metacharacters, then the pattern matches them literally', () => {
    const text = 'a.b*c(d)[e]$^+?{1}|\\';
    expect(new RegExp(literalPattern(text)).test(`xx${text}yy`)).toBe(true);
    expect(new RegExp(literalPattern('a.b')).test('axb')).toBe(false);
  });

  it('when the URL names a database, then that one is used, else "agora"', () => {
    expect(databaseName('mongodb://127.0.0.1:27017/agora_test?directConnection=true')).toBe('agora_test');
    expect(databaseName('mongodb+srv://u:p@cluster.example.net/shop')).toBe('shop');
    expect(databaseName('mongodb://127.0.0.1:27017')).toBe('agora');
    expect(databaseName('mongodb://h1,h2/?replicaSet=rs0')).toBe('agora');
  });
});
