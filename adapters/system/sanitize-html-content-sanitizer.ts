import sanitizeHtml from 'sanitize-html';
import type { ContentSanitizer } from '../../internal/domain/blogs/content-sanitizer.js';

const SAFE_SCHEMES = ['http', 'https', 'mailto'];
const URL_ATTRIBUTES = ['href', 'src', 'cite'];
const ALLOWED_ATTRIBUTES: Record<string, string[]> = { a: ['href', 'title'], img: ['src', 'alt', 'title'], code: ['class'] };

/**
 * htmlparser2, under sanitize-html, keeps its open elements in an array it grows with
 * `unshift` and searches with `indexOf`, so every tag costs as much as the depth it is at:
 * unbounded nesting is quadratic (1 MB of `<a>` took 90 s). Browsers stop nesting at 512;
 * 400 real pages measured never passed 16. Content that goes deeper is kept, escaped, as text.
 */
const MAX_OPEN_ELEMENTS = 128;
/**
 * Its second such array: one entry per `<svg>`, `<math>` or HTML-in-foreign element opened,
 * dropped only by an end tag of that name. Counted from above (closes other than by an
 * end tag of the name are not subtracted), and held to the same bound.
 */
const FOREIGN_CONTEXT_ELEMENTS = new Set(['math', 'svg', 'mi', 'mo', 'mn', 'ms', 'mtext', 'annotation-xml', 'foreignobject', 'desc', 'title']);
/**
 * Each tag opened or closed and each run of text costs sanitize-html a few microseconds (1 MB
 * of `<` took 1.7 s, of `<li>` 1.2 s). Real HTML makes about one per ten characters (the
 * densest of 400 pages measured: 11,000 in 100,000 characters); past 50,000 the content is
 * hostile and is kept, escaped, as text.
 */
const MAX_PARSE_EVENTS = 50_000;

class TooComplex extends Error {}

/**
 * For a tag that keeps some attributes (registered for those tags only; sanitize-html drops
 * all of the others' without a walk): every other one dropped before sanitize-html walks
 * them, a tag can have 100,000. The kept ones stay in source order, as it would keep them.
 */
function keepAllowedAttributes(tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag {
  const allowed = ALLOWED_ATTRIBUTES[tagName] ?? [];
  const kept: sanitizeHtml.Attributes = {};
  for (const name of Object.keys(attribs)) {
    const value = attribs[name];
    if (value === undefined || !allowed.includes(name)) continue;
    // sanitize-html's URL check strips `<!--...-->` one at a time, rebuilding the value
    // each time: quadratic (1 MB of "x<!---->" in an href took 160 s). No URL has one.
    if (URL_ATTRIBUTES.includes(name) && value.includes('<!--')) continue;
    kept[name] = value;
  }
  return { tagName, attribs: kept };
}

const TRANSFORM_TAGS = Object.fromEntries(Object.keys(ALLOWED_ATTRIBUTES).map((tag) => [tag, keepAllowedAttributes]));

const AMPERSAND = 0x26;
const LESS_THAN = 0x3c;
const GREATER_THAN = 0x3e;
const [AMP, LT, GT] = ['&amp;', '&lt;', '&gt;'].map((entity) => Array.from(entity, (c) => c.charCodeAt(0))) as [number[], number[], number[]];

/**
 * The content as text: `&`, `<` and `>` escaped, written into one buffer of UTF-16 code
 * units (`replace`, or split and join, making strings per match took 3 to 6 times as long
 * on 1 MB of tags).
 */
function escapedText(content: string): string {
  let length = content.length;
  for (let i = 0; i < content.length; i++) {
    const c = content.charCodeAt(i);
    if (c === AMPERSAND) length += AMP.length - 1;
    else if (c === LESS_THAN || c === GREATER_THAN) length += LT.length - 1;
  }
  if (length === content.length) return content;
  const out = new Uint16Array(length);
  let j = 0;
  for (let i = 0; i < content.length; i++) {
    const c = content.charCodeAt(i);
    const entity = c === AMPERSAND ? AMP : c === LESS_THAN ? LT : c === GREATER_THAN ? GT : undefined;
    if (entity === undefined) out[j++] = c;
    else for (let k = 0; k < entity.length; k++) out[j++] = entity[k]!;
  }
  // `apply` takes the typed array as it is; spreading it iterates, five times slower.
  const chunks: string[] = [];
  for (let k = 0; k < out.length; k += 8192) chunks.push(String.fromCharCode.apply(null, out.subarray(k, k + 8192) as unknown as number[]));
  return chunks.join('');
}

/** sanitize-html with its default allow-list plus a few tags, in time linear in the content. */
function sanitisedHtml(content: string): string {
  let open = 0;
  let foreign = 0;
  let events = 0;
  const count = () => {
    if (++events > MAX_PARSE_EVENTS) throw new TooComplex();
  };
  try {
    return sanitizeHtml(content, {
      allowedTags: [...sanitizeHtml.defaults.allowedTags, 'img', 'del', 's', 'sup', 'sub'],
      allowedAttributes: ALLOWED_ATTRIBUTES,
      allowedSchemes: SAFE_SCHEMES,
      allowedSchemesAppliedToAttributes: URL_ATTRIBUTES,
      allowProtocolRelative: false,
      disallowedTagsMode: 'discard',
      transformTags: TRANSFORM_TAGS,
      // The parser reports every element it opens and closes, implied ones included, so
      // `open` is exactly the depth of its open-element stack.
      onOpenTag: (name) => {
        count();
        if (++open > MAX_OPEN_ELEMENTS) throw new TooComplex();
        if (FOREIGN_CONTEXT_ELEMENTS.has(name) && ++foreign > MAX_OPEN_ELEMENTS) throw new TooComplex();
      },
      onCloseTag: (name, isImplied) => {
        count();
        open--;
        if (!isImplied && foreign > 0 && FOREIGN_CONTEXT_ELEMENTS.has(name)) foreign--;
      },
      textFilter: (text) => {
        count();
        return text;
      },
    });
  } catch (error) {
    if (error instanceof TooComplex) return escapedText(content);
    throw error;
  }
}

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const LEFT_PAREN = 0x28;
const RIGHT_PAREN = 0x29;
const COLON = 0x3a;
const LEFT_BRACKET = 0x5b;

/** JavaScript's `\s`, the Markdown pass's "whitespace". */
function isSpace(c: number): boolean {
  return (
    (c >= TAB && c <= CR) ||
    c === SPACE ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/**
 * The Markdown pass runs on sanitize-html's output, where a raw `<` or `>` is always markup
 * (text has them escaped) and a raw `"` may delimit an attribute value. It replaces only runs
 * free of all three, so it never changes a tag: it cannot unquote an attribute value nor end
 * a tag early (the old patterns did both, letting `" onmouseover="...` in text become an
 * attribute).
 */
function isMarkup(c: number): boolean {
  return c === LESS_THAN || c === GREATER_THAN || c === QUOTE;
}

function codePoint(code: number): string {
  return Number.isInteger(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
}

/**
 * How a browser or Markdown renderer would read a URL: entities decoded, backslash escapes,
 * controls and spaces gone. Every pattern is linear, and each caller passes a stretch of the
 * content no other call sees, so the pass stays linear.
 */
function normalisedUrl(url: string): string {
  return url
    .replace(/&#x([0-9a-f]+);?/gi, (_, hex: string) => codePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);?/g, (_, dec: string) => codePoint(Number(dec)))
    .replace(/&(tab|newline|colon);/gi, (_, name: string) => ({ tab: '\t', newline: '\n', colon: ':' })[name.toLowerCase()] ?? '')
    // eslint-disable-next-line no-control-regex -- control characters are exactly what browsers ignore in URLs
    .replace(/[\u0000-\u0020\u007f-\u00a0\\]/g, '')
    .toLowerCase();
}

/** ASCII that normalises to itself and starts no script scheme: most URLs are judged on it alone. */
const NOT_A_SCRIPT_START = /^[!-%'-CE-IKM-UW-[\]-ce-ikm-uw-~]/;

const SCRIPT_SCHEME = /^(?:javascript|vbscript|data|livescript):/;
/** What `normalisedUrl` would change besides the case. */
// eslint-disable-next-line no-control-regex -- as in normalisedUrl
const NEEDS_NORMALISING = /[\u0000-\u0020\u007f-\u00a0&\\]/;

function isScriptUrl(url: string): boolean {
  if (NOT_A_SCRIPT_START.test(url)) return false;
  if (!NEEDS_NORMALISING.test(url)) return SCRIPT_SCHEME.test(url.slice(0, 16).toLowerCase());
  return SCRIPT_SCHEME.test(normalisedUrl(url));
}

/**
 * Where the target that starts at `start` (just after `(`) ends: the index of its `)`, or -1.
 * A target is characters other than parentheses, line feeds and markup, and groups `( ... )`
 * of them one level deep. Scans never backtrack; the stretch after a `(` is walked at most twice.
 */
function targetEnd(text: string, start: number): number {
  const n = text.length;
  let k = start;
  while (k < n) {
    const c = text.charCodeAt(k);
    if (c === RIGHT_PAREN) return k;
    if (c === LF || isMarkup(c)) return -1;
    if (c === LEFT_PAREN) {
      let m = k + 1;
      while (m < n) {
        const d = text.charCodeAt(m);
        if (d === LEFT_PAREN || d === RIGHT_PAREN || d === LF || isMarkup(d)) break;
        m++;
      }
      if (m >= n || text.charCodeAt(m) !== RIGHT_PAREN) return -1;
      k = m + 1;
    } else {
      k++;
    }
  }
  return -1;
}

/**
 * Markdown links `[x](target)`, `![x](target)`, also with whitespace before the `(`: a script
 * target becomes `#`. A target this grammar cannot close (nested deeper, broken by a line or a
 * title, never closed) that still starts with a script scheme, as a renderer allowing more
 * would read it, loses its scheme instead: `[x](javascript:alert((1)))` becomes
 * `[x](#alert((1)))`. (Its `:` is a raw one: sanitize-html leaves no `&` unescaped.)
 */
function neutraliseLinks(text: string): string {
  const n = text.length;
  const nextStop = new Seeker(text, /[()[\]<>"]/g);
  let out = '';
  let copied = 0;
  let i = text.indexOf(']');
  while (i !== -1) {
    let open = i + 1;
    while (open < n && isSpace(text.charCodeAt(open))) open++;
    if (open >= n || text.charCodeAt(open) !== LEFT_PAREN) {
      i = text.indexOf(']', i + 1);
      continue;
    }
    const start = open + 1;
    const end = targetEnd(text, start);
    if (end !== -1) {
      if (isScriptUrl(text.slice(start, end))) {
        out += `${text.slice(copied, start)}#`;
        copied = end;
      }
      i = text.indexOf(']', end + 1);
      continue;
    }
    const prefix = text.slice(start, nextStop.at(start));
    const colon = prefix.indexOf(':');
    if (colon !== -1 && isScriptUrl(prefix)) {
      out += `${text.slice(copied, start)}#`;
      copied = start + colon + 1;
    }
    i = text.indexOf(']', i + 1);
  }
  return out + text.slice(copied);
}

/**
 * The first index at or after a position of a character in a class (or the length), found by
 * a one-character pattern, which cannot backtrack. Asked with positions that never decrease,
 * it reads each character at most once.
 */
class Seeker {
  private from = 0;
  private found = -1;

  constructor(
    private readonly text: string,
    private readonly character: RegExp,
  ) {}

  at(position: number): number {
    if (position >= this.from && position <= this.found) return this.found;
    this.character.lastIndex = position;
    const match = this.character.exec(this.text);
    this.from = position;
    this.found = match ? match.index : this.text.length;
    return this.found;
  }
}

/**
 * Reference definitions `[ref]: target` at the start of a line (after any whitespace, line
 * breaks included), the target being the next run of non-whitespace (and non-markup): a
 * script one becomes `#`.
 */
function neutraliseDefinitions(text: string): string {
  const n = text.length;
  const lineEnd = new Seeker(text, /[\n\r\u2028\u2029]/g);
  const labelStart = new Seeker(text, /\S/g);
  const labelEnd = new Seeker(text, /]/g);
  const targetStart = new Seeker(text, /\S/g);
  const targetStop = new Seeker(text, /[\s<>"]/g);
  let out = '';
  let copied = 0;
  let line = 0;
  while (line <= n) {
    const bracket = labelStart.at(line);
    if (bracket < n && text.charCodeAt(bracket) === LEFT_BRACKET) {
      const close = labelEnd.at(bracket + 1);
      if (close < n && close > bracket + 1 && text.charCodeAt(close + 1) === COLON) {
        const start = targetStart.at(close + 2);
        if (start < n && !isMarkup(text.charCodeAt(start))) {
          const stop = targetStop.at(start);
          if (isScriptUrl(text.slice(start, stop))) {
            out += `${text.slice(copied, start)}#`;
            copied = stop;
          }
          line = lineEnd.at(stop) + 1;
          continue;
        }
      }
    }
    // Every line start up to `bracket` sees the same first character and fails alike.
    line = lineEnd.at(bracket) + 1;
  }
  return out + text.slice(copied);
}

/**
 * sanitize-html for the HTML (its default allow-list: no script, style, iframe, object or
 * on* attribute; only http, https and mailto links), then Markdown's own link syntax, which
 * HTML sanitising cannot see: `[x](javascript:...)` and `[ref]: javascript:...` lose the URL.
 * Every step takes time linear in the content: no backtracking pattern, no unbounded nesting.
 */
export class SanitizeHtmlContentSanitizer implements ContentSanitizer {
  sanitize(content: string): string {
    return neutraliseDefinitions(neutraliseLinks(sanitisedHtml(content)));
  }
}
