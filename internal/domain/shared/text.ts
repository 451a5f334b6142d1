const INVISIBLE = /^[\s\p{Cf}]$/u;

function isInvisible(codePoint: string): boolean {
  return INVISIBLE.test(codePoint);
}

/**
 * Text without its leading and trailing whitespace and invisible format characters (zero-width
 * spaces, joiners, direction marks, BOM). One pass from each end, so it stays linear on input
 * made of long runs of spaces (a `/\s+$/` regex is quadratic there).
 */
export function trimInvisible(text: string): string {
  const points = Array.from(text);
  let start = 0;
  let end = points.length;
  while (start < end && isInvisible(points[start]!)) start++;
  while (end > start && isInvisible(points[end - 1]!)) end--;
  return start === 0 && end === points.length ? text : points.slice(start, end).join('');
}

/** Length in Unicode code points, as a reader counts characters (an emoji is one, not two). */
export function codePointLength(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}
