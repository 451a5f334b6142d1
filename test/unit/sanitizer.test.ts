import { describe, expect, it } from 'vitest';
import { SanitizeHtmlContentSanitizer } from '../../adapters/system/sanitize-html-content-sanitizer.js';

const sanitizer = new SanitizeHtmlContentSanitizer();

/** What a browser would see: entities decoded, whitespace and controls gone, lower case. */
function normalised(html: string): string {
  return html
    .replace(/&#x([0-9a-f]+);?/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);?/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&colon;/gi, ':')
    // eslint-disable-next-line no-control-regex -- control characters are exactly what browsers ignore in URLs
    .replace(/[\u0000-\u0020]/g, '')
    .toLowerCase();
}

const VECTORS = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=//evil.example/x.js></SCRIPT>',
  '<scr<script>ipt>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<img src="x" onerror="alert(1)"//',
  '<svg onload=alert(1)>',
  '<svg><script>alert(1)</script></svg>',
  '<body onload=alert(1)>',
  '<a href="javascript:alert(1)">x</a>',
  '<a href="JaVaScRiPt:alert(1)">x</a>',
  '<a href="jav&#x09;ascript:alert(1)">x</a>',
  '<a href=" javascript:alert(1)">x</a>',
  '<a href="vbscript:msgbox(1)">x</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
  '<iframe src="https://evil.example"></iframe>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<object data="javascript:alert(1)"></object>',
  '<embed src="javascript:alert(1)">',
  '<form action="javascript:alert(1)"><button>go</button></form>',
  '<input onfocus=alert(1) autofocus>',
  '<details open ontoggle=alert(1)>',
  '<div style="background:url(javascript:alert(1))">x</div>',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<base href="javascript:alert(1)//">',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '[click](javascript:alert(1))',
  '[click](JAVASCRIPT:alert(1))',
  '[click]( javascript:alert(1) )',
  '![img](javascript:alert(1))',
  '[click](jav&#x09;ascript:alert(1))',
  '[ref]: javascript:alert(1)',
  '[click](data:text/html;base64,PHNjcmlwdD4=)',
];

describe('article content sanitising', () => {
  it.each(VECTORS)('when content is %s, then nothing executable survives', (vector) => {
    const out = normalised(sanitizer.sanitize(`before\n${vector}\nafter`));
    expect(out).not.toMatch(/<script|<iframe|<object|<embed|<svg|<form|<meta|<base|<style/);
    expect(out).not.toMatch(/\son[a-z]+=/);
    expect(out).not.toMatch(/javascript:|vbscript:|data:text/);
    expect(out).toContain('before');
  });

  it('when content is ordinary HTML, then its formatting survives', () => {
    const html = '<h2>Title</h2><p><strong>bold</strong> <em>it</em> <a href="https://example.com/x">link</a></p><ul><li>one</li></ul><pre><code>x = 1</code></pre>';
    expect(sanitizer.sanitize(html)).toBe(html);
  });

  it('when content is ordinary Markdown, then it survives', () => {
    const md = '# Title\n\n**bold** _it_ [link](https://example.com/a) ![pic](https://example.com/p.png)\n\n- one\n- two\n\n    code';
    expect(sanitizer.sanitize(md)).toBe(md);
  });
});
