import sanitizeHtml from 'sanitize-html';
import type { ContentSanitizer } from '../../internal/domain/blogs/content-sanitizer.js';

const SAFE_SCHEMES = ['http', 'https', 'mailto'];

/** How a browser or Markdown renderer would read a URL: entities decoded, controls and spaces gone. */
function normalisedUrl(url: string): string {
  return url
    .replace(/&#x([0-9a-f]+);?/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);?/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&(tab|newline|colon);/gi, (_, name: string) => ({ tab: '\t', newline: '\n', colon: ':' })[name.toLowerCase()] ?? '')
    // eslint-disable-next-line no-control-regex -- control characters are exactly what browsers ignore in URLs
    .replace(/[\u0000-\u0020\u007f-\u00a0]/g, '')
    .toLowerCase();
}

function isScriptUrl(url: string): boolean {
  return /^(javascript|vbscript|data|livescript):/.test(normalisedUrl(url));
}

/**
 * sanitize-html for the HTML (its default allow-list: no script, style, iframe, object or
 * on* attribute; only http, https and mailto links), then Markdown's own link syntax, which
 * HTML sanitising cannot see: `[x](javascript:...)` and `[ref]: javascript:...` lose the URL.
 */
export class SanitizeHtmlContentSanitizer implements ContentSanitizer {
  sanitize(content: string): string {
    const html = sanitizeHtml(content, {
      allowedTags: [...sanitizeHtml.defaults.allowedTags, 'img', 'del', 's', 'sup', 'sub'],
      allowedAttributes: { a: ['href', 'title'], img: ['src', 'alt', 'title'], code: ['class'] },
      allowedSchemes: SAFE_SCHEMES,
      allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
      allowProtocolRelative: false,
      disallowedTagsMode: 'discard',
    });
    return html
      // A link's parenthesised part (balanced one level deep); judged as a renderer would read
      // it, so spaces, tabs or entities inside "java script:" do not hide the scheme.
      .replace(/(\]\s*\()((?:[^()\n]|\([^()\n]*\))*)(\))/g, (whole, open: string, target: string, close: string) =>
        isScriptUrl(target.replace(/^\s*</, '')) ? `${open}#${close}` : whole,
      )
      .replace(/^(\s*\[[^\]]+\]:\s*)(\S+)/gm, (whole, label: string, url: string) => (isScriptUrl(url) ? `${label}#` : whole));
  }
}
