export interface ContentSanitizer {
  /** HTML or Markdown with scripts, event handlers, frames and script URLs removed. */
  sanitize(content: string): string;
}
