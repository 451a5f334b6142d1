import { describe, expect, it } from 'vitest';
import { nextPageUrl } from '../../internal/app/http/conventions.js';

/** What nextPageUrl answered before its fast path: the path as the URL parser writes it. */
function parsed(url: string, cursor: string): string {
  const at = url.indexOf('?');
  const query = new URLSearchParams(at === -1 ? '' : url.slice(at + 1));
  query.set('cursor', cursor);
  return `${new URL(`http://host${at === -1 ? url : url.slice(0, at)}`).pathname}?${query.toString()}`;
}

describe('nextPageUrl', () => {
  it('when a path is plain, odd or hostile, then it answers what the URL parser would', () => {
    const paths = ['/api/posts', '/api/users/ü/followers', '/api/a b', '/api/%zz', '/api/%41', '/api/./x', '/api/../x', '/api/x/.', '/api/.x', '/a\\b', '/a"b', '/a<b>', '/a`b', '/a{b}', '/a^b', '/a|b', "/a'b", '/a[b]', '//x', '/a;b=c', '/~u@x:1'];
    const pool = "aZ09-._~!$&'()*+,;=:@/%\\\"<>`{}^| [].ü\u00e9\t";
    for (let i = 0; i < 3000; i++) {
      let path = '/';
      const length = Math.floor(Math.random() * 12);
      for (let j = 0; j < length; j++) path += pool[Math.floor(Math.random() * pool.length)];
      paths.push(path);
    }
    for (const path of paths) {
      for (const query of ['', '?limit=2', '?cursor=old&q=a+b&following=true']) {
        const url = `${path}${query}`;
        expect(nextPageUrl(url, 'abc'), url).toBe(parsed(url, 'abc'));
      }
    }
  });
});
