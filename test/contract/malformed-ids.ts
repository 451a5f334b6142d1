/**
 * Ids that are not ids (not UUIDs): every port answers for them as for an unknown id (null,
 * nothing, zero, false), never with an error. PostgreSQL's uuid columns would refuse them.
 */
export const MALFORMED_IDS: readonly string[] = ['nope', '', '../x', 'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz'];
