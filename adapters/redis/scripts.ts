import type { Redis, Result } from 'ioredis';

/**
 * The Lua scripts behind every multi-key change of the timelines: Redis runs a script alone,
 * so each one is atomic, and a pipeline of them is one round trip. They are registered with
 * `defineCommand` (EVALSHA, with EVAL when the server has not cached the script yet).
 *
 * Every key a script touches is passed in KEYS, and the keys of one call share a hash tag
 * (`{reader}` or `{jobs}`, see keys.ts), as Redis Cluster would need; this store itself
 * connects to a single server.
 *
 * A timeline's entries are a sorted set whose scores are all 0 and whose members are
 * `<postId>:<authorId>`: the set is then ordered by post id (UUIDv7 strings sort by time), and
 * `ZRANGE … BYLEX` answers an id range. Lua's own `<` on strings follows the server's locale
 * (strcoll), so ids are compared here only by the sorted set itself or by `after` (bytes).
 */
const HELPERS = `
local function after(a, b)
  local n = math.min(#a, #b)
  for i = 1, n do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then return x > y end
  end
  return #a > #b
end

local function postIdOf(member)
  return string.sub(member, 1, string.find(member, ':', 1, true) - 1)
end

-- One command over many arguments, in slices: unpack() is bounded by Lua's C stack.
local function inSlices(command, key, args, prefix)
  for i = 1, #args, 1000 do
    local slice = {}
    for j = i, math.min(i + 999, #args) do slice[#slice + 1] = args[j] end
    if prefix then redis.call(command, key, prefix, unpack(slice)) else redis.call(command, key, unpack(slice)) end
  end
end

-- Adds ARGV[from..] to the entries KEYS[2], drops those at or below the floor (they were
-- trimmed before, or a build's floor excludes them), then trims the oldest beyond cap and
-- raises the floor to the newest one trimmed (above the old floor, since all are).
local function addAndTrim(from, cap)
  local members = {}
  for i = from, #ARGV do
    members[#members + 1] = 0
    members[#members + 1] = ARGV[i]
  end
  if #members > 0 then inSlices('ZADD', KEYS[2], members) end
  local floor = redis.call('HGET', KEYS[1], 'floor')
  if floor then redis.call('ZREMRANGEBYLEX', KEYS[2], '-', '(' .. floor .. ';') end
  local excess = redis.call('ZCARD', KEYS[2]) - cap
  if excess > 0 then
    local newest = redis.call('ZRANGE', KEYS[2], excess - 1, excess - 1)[1]
    redis.call('ZREMRANGEBYRANK', KEYS[2], 0, excess - 1)
    redis.call('HSET', KEYS[1], 'floor', postIdOf(newest))
  end
end
`;

/** KEYS: meta, entries, celebrities. ARGV: max, min (ZRANGE BYLEX bounds), limit. */
const READ = `
local meta = redis.call('HMGET', KEYS[1], 'ready', 'floor')
if not meta[1] then return false end
local members = {}
local limit = tonumber(ARGV[3])
if limit > 0 then members = redis.call('ZRANGE', KEYS[2], ARGV[1], ARGV[2], 'BYLEX', 'REV', 'LIMIT', 0, limit) end
return { meta[1], meta[2] or '', redis.call('SMEMBERS', KEYS[3]), members }
`;

/** KEYS: meta, entries, celebrities. ARGV: now (ms), staleBefore (ms). */
const OPEN = `
local state = redis.call('HMGET', KEYS[1], 'ready', 'openedAt')
if state[1] == '1' then return 0 end
if state[1] and tonumber(state[2]) >= tonumber(ARGV[2]) then return 0 end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
redis.call('HSET', KEYS[1], 'ready', '0', 'openedAt', ARGV[1])
return 1
`;

/**
 * KEYS: meta, entries, celebrities. ARGV: floor ('' for none), cap, celebrity count n, the n
 * celebrities, then the entries. The floor kept is the higher of the one given and the one a
 * fan-out's trim may have set during the build.
 */
const FILL = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local floor = ARGV[1]
local current = redis.call('HGET', KEYS[1], 'floor')
if current and (floor == '' or after(current, floor)) then floor = current end
if floor ~= '' then redis.call('HSET', KEYS[1], 'floor', floor) end
local n = tonumber(ARGV[3])
local celebrities = {}
for i = 4, 3 + n do celebrities[#celebrities + 1] = ARGV[i] end
redis.call('DEL', KEYS[3])
if n > 0 then inSlices('SADD', KEYS[3], celebrities) end
addAndTrim(4 + n, tonumber(ARGV[2]))
redis.call('HSET', KEYS[1], 'ready', '1')
return 1
`;

/** KEYS: meta, entries. ARGV: cap, then the entries. Nothing when the reader has no timeline. */
const ADD = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
addAndTrim(2, tonumber(ARGV[1]))
return 1
`;

/** KEYS: entries. ARGV: ':' .. authorId (the tail of that author's members). */
const REMOVE_AUTHOR = `
local tail = ARGV[1]
local gone = {}
for _, member in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  if string.sub(member, -#tail) == tail then gone[#gone + 1] = member end
end
if #gone > 0 then inSlices('ZREM', KEYS[1], gone) end
return #gone
`;

/** KEYS: meta, celebrities. ARGV: authorId. Adds only to an existing timeline. */
const ADD_CELEBRITY = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
return redis.call('SADD', KEYS[2], ARGV[1])
`;

/**
 * KEYS: due (sorted set, due time in ms), data (hash), attempts (hash). ARGV: now (ms), lease
 * end (ms), limit, then the ready job ids. The ready jobs never claimed (no attempts yet) whatever
 * their due time, oldest due first, then the due jobs, oldest due first, up to limit in all; each
 * made due again at the lease's end with one more attempt, all at once: parallel claims never get
 * the same job. Answers [id, data, attempts before this claim] per job.
 */
const CLAIM = `
local out = {}
local taken = {}
local limit = tonumber(ARGV[3])
local function take(id, data)
  taken[id] = true
  redis.call('ZADD', KEYS[1], ARGV[2], id)
  out[#out + 1] = { id, data, redis.call('HINCRBY', KEYS[3], id, 1) - 1 }
end
local ready = {}
local named = {}
for i = 4, #ARGV do
  local id = ARGV[i]
  local due = redis.call('ZSCORE', KEYS[1], id)
  if due and not named[id] and redis.call('HEXISTS', KEYS[3], id) == 0 then ready[#ready + 1] = { tonumber(due), id } end
  named[id] = true
end
table.sort(ready, function(a, b)
  if a[1] ~= b[1] then return a[1] < b[1] end
  return after(b[2], a[2])
end)
for _, job in ipairs(ready) do
  if #out == limit then break end
  local data = redis.call('HGET', KEYS[2], job[2])
  if data then take(job[2], data) end
end
if #out < limit then
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, limit - #out)) do
    -- (a ready job just leased is left out: a lease of no length leaves it due)
    if not taken[id] then
      local data = redis.call('HGET', KEYS[2], id)
      if data then take(id, data) else redis.call('ZREM', KEYS[1], id) end
    end
  end
end
return out
`;

/** What READ answers: ready ('1' or '0'), floor ('' for none), celebrities, members newest first. */
export type ReadReply = [ready: string, floor: string, celebrities: string[], members: string[]];

type Key = string;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    timelineRead(meta: Key, entries: Key, celebrities: Key, max: string, min: string, limit: number): Result<ReadReply | null, Context>;
    timelineOpen(meta: Key, entries: Key, celebrities: Key, now: number, staleBefore: number): Result<number, Context>;
    timelineFill(meta: Key, entries: Key, celebrities: Key, ...args: Array<string | number>): Result<number, Context>;
    timelineAdd(meta: Key, entries: Key, cap: number, ...members: string[]): Result<number, Context>;
    timelineRemoveAuthor(entries: Key, tail: string): Result<number, Context>;
    timelineAddCelebrity(meta: Key, celebrities: Key, authorId: string): Result<number, Context>;
    jobsClaim(due: Key, data: Key, attempts: Key, now: number, leaseEnd: number, limit: number, ...ready: string[]): Result<Array<[string, string, number]>, Context>;
  }
}

/** Registers the scripts on `redis` as commands (their names above). */
export function defineScripts(redis: Redis): void {
  const scripts: Record<string, [keys: number, lua: string]> = {
    timelineRead: [3, READ],
    timelineOpen: [3, OPEN],
    timelineFill: [3, HELPERS + FILL],
    timelineAdd: [2, HELPERS + ADD],
    timelineRemoveAuthor: [1, HELPERS + REMOVE_AUTHOR],
    timelineAddCelebrity: [2, ADD_CELEBRITY],
    jobsClaim: [3, HELPERS + CLAIM],
  };
  for (const [name, [numberOfKeys, lua]] of Object.entries(scripts)) redis.defineCommand(name, { numberOfKeys, lua });
}
