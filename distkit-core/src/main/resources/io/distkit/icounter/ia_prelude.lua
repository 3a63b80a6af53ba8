-- Shared by every instance-aware counter script (prepended after counter_prelude.lua by the Java side).
--
-- One container (tag T = {<prefix>:ia} for the strict type, {<prefix>:lia} for the lax one):
--   T:gen               string  container generation; clear increments it; never deleted
--   T:epoch             hash    key -> epoch (absent = 0); a global set or del increments it
--   T:cumulative        hash    key -> cumulative
--   T:instances         zset    live instance id -> last heartbeat (Redis TIME in ms)
--   T:reaping           hash    dead instance id -> HSCAN cursor of its unfinished reaping (the continuation marker)
--   T:slice:<id>        hash    key -> the instance's slice
--   T:sliceepoch:<id>   hash    key -> "<gen>:<epoch>" the slice belongs to
--   T:reaped:<id>       hash    key -> "<gen>:<epoch>:<slice>", counting slices the reaper took (TTL 24 h)
-- A slice counts when its tag equals "<current gen>:<key's current epoch>". Invariant: a key's cumulative is the
-- sum of the counting slices in the slice hashes of all instances, registered ones and dead ones whose reaping is
-- unfinished (their slices not walked yet still count). Only counting slices are ever added or subtracted.
--
-- KEYS (every script): 1 gen, 2 epoch, 3 instances, 4 cumulative, 5 reaping, 6 slice:<me>, 7 sliceepoch:<me>,
--                      8 reaped:<me> [, 9 the lax writer's applied chunk numbers T:w:<me>]
-- ARGV (every script): 1 instance id, 2 dead-instance threshold in ms, then the script's own arguments.
-- The names of dead instances' hashes are built from T (KEYS[1] without ':gen'): same hash tag, same slot.

local K_GEN, K_EPOCH, K_INSTANCES, K_CUMULATIVE = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local K_REAPING, K_SLICE, K_TAG, K_REAPED = KEYS[5], KEYS[6], KEYS[7], KEYS[8]
local ME, THRESHOLD = ARGV[1], tonumber(ARGV[2])
local BASE = string.sub(K_GEN, 1, -5)
local BUDGET = 1000            -- at most this many fields reaped, and recovered, per script call
local REAPED_TTL = 86400000    -- 24 h
local GEN = '0'

local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function tag_of(field)
  return GEN .. ':' .. (redis.call('HGET', K_EPOCH, field) or '0')
end

-- The number in a stored decimal integer within range, or nil.
local function number(raw)
  if raw and string.match(raw, '^%-?%d+$') then
    local n = tonumber(raw)
    if n <= MAX and n >= -MAX then return n end
  end
  return nil
end

-- Adds <value> under <tag> to a reaped hash: summed with an entry of the same tag, replacing an older one.
local function add_reaped(reaped, field, tag, value)
  local old = redis.call('HGET', reaped, field)
  if old then
    local old_tag, old_value = string.match(old, '^(.*):(%-?%d+)$')
    if old_tag == tag then value = value + tonumber(old_value) end
  end
  redis.call('HSET', reaped, field, tag .. ':' .. fmt(value))
end

-- Walks a hash with HSCAN from <cursor>, handing at most <budget> fields to <visit>, which deletes what it visits.
-- Returns the fields used, the cursor to go on from, and whether the walk is over. When the budget runs out inside
-- one HSCAN reply, the cursor stays where it was: the fields visited are gone, so the same cursor yields the rest.
local function walk(hash, cursor, budget, visit)
  local used, scans = 0, 0
  while used < budget and scans < budget do
    local scan = redis.call('HSCAN', hash, cursor, 'COUNT', budget - used)
    scans = scans + 1
    local flat = scan[2]
    local n = #flat / 2
    local take = math.min(n, budget - used)
    for i = 1, take do
      visit(flat[2 * i - 1], flat[2 * i])
    end
    used = used + take
    if take < n then return used, cursor, false end
    cursor = scan[1]
    if cursor == '0' then return used, cursor, true end
  end
  return used, cursor, false
end

-- Reaps part of dead instance <id>: subtracts its counting slices from the cumulatives and moves them to its reaped
-- hash, deletes its other slices. Returns the fields used.
local function reap(id, cursor, budget)
  local slice, tags = BASE .. ':slice:' .. id, BASE .. ':sliceepoch:' .. id
  local reaped = BASE .. ':reaped:' .. id
  local moved = false
  local used, next_cursor, finished = walk(slice, cursor, budget, function(field, raw)
    local value, tag = number(raw), tag_of(field)
    if value and value ~= 0 and redis.call('HGET', tags, field) == tag then
      redis.call('HINCRBY', K_CUMULATIVE, field, fmt(-value))
      add_reaped(reaped, field, tag, value)
      moved = true
    end
    redis.call('HDEL', slice, field)
    redis.call('HDEL', tags, field)
  end)
  if moved then redis.call('PEXPIRE', reaped, REAPED_TTL) end
  if finished then
    redis.call('DEL', slice, tags)
    redis.call('HDEL', K_REAPING, id)
  else
    redis.call('HSET', K_REAPING, id, next_cursor)
  end
  return used
end

-- Adds back, at most <budget> fields, this instance's reaped slices whose (gen, epoch) still match, positive and
-- negative alike; drops the others. Returns whether some are left.
local function recover(budget)
  if redis.call('EXISTS', K_REAPED) == 0 then return 0 end
  walk(K_REAPED, '0', budget, function(field, packed)
    local tag, raw = string.match(packed, '^(.*):(%-?%d+)$')
    local value = number(raw)
    local current = tag_of(field)
    if value and tag == current then
      local slice = 0
      if redis.call('HGET', K_TAG, field) == current then
        slice = number(redis.call('HGET', K_SLICE, field)) or 0
      end
      local cumulative = number(redis.call('HGET', K_CUMULATIVE, field) or '0')
      if cumulative and math.abs(slice + value) <= MAX and math.abs(cumulative + value) <= MAX then
        redis.call('HSET', K_SLICE, field, fmt(slice + value))
        redis.call('HSET', K_TAG, field, current)
        redis.call('HSET', K_CUMULATIVE, field, fmt(cumulative + value))
      end
    end
    redis.call('HDEL', K_REAPED, field)
  end)
  return redis.call('EXISTS', K_REAPED)
end

-- Heartbeat, reaping and recovery: the first step of every script, complete and valid on its own (kept even when the
-- operation after it is refused). Returns created (1 when this instance was not registered), whether reaping is
-- unfinished and whether recovery is unfinished.
local function housekeeping()
  local now = now_ms()
  GEN = redis.call('GET', K_GEN) or '0'
  local created = 0
  if not redis.call('ZSCORE', K_INSTANCES, ME) then
    created = 1
    redis.call('HDEL', K_REAPING, ME) -- back while being reaped: its slices not walked yet still count
  end
  redis.call('ZADD', K_INSTANCES, now, ME)
  local dead = redis.call('ZRANGEBYSCORE', K_INSTANCES, '-inf', now - THRESHOLD, 'LIMIT', 0, 100)
  for _, id in ipairs(dead) do
    redis.call('ZREM', K_INSTANCES, id)
    redis.call('HSETNX', K_REAPING, id, '0')
  end
  local budget = BUDGET
  local reaping = redis.call('HGETALL', K_REAPING)
  for i = 1, #reaping, 2 do
    if budget <= 0 then break end
    budget = budget - reap(reaping[i], reaping[i + 1], budget)
  end
  local reap_pending = (redis.call('EXISTS', K_REAPING) == 1) and 1 or 0
  return created, reap_pending, recover(BUDGET)
end

-- The operations work on an in-memory state per key and write only in commit(), after every check passed.
local state, order = {}, {}

-- Reads a key's cumulative, epoch and this instance's slice (0 when it does not count). Error reply naming item <g>
-- when a stored value is unusable.
local function load(field, g)
  local st = state[field]
  if st then return st end
  local c, err = parse(redis.call('HGET', K_CUMULATIVE, field), g)
  if err then return nil, err end
  local epoch = redis.call('HGET', K_EPOCH, field) or '0'
  local raw = redis.call('HGET', K_SLICE, field)
  local s, counting = 0, false
  if raw and redis.call('HGET', K_TAG, field) == GEN .. ':' .. epoch then
    s, err = parse(raw, g)
    if err then return nil, err end
    counting = true
  end
  st = { c = c, s = s, epoch = epoch, stale = (raw ~= false) and not counting }
  state[field] = st
  order[#order + 1] = field
  return st
end

local function out_of_range(n)
  return n > MAX or n < -MAX
end

local function bump(st)
  st.epoch = fmt(tonumber(st.epoch) + 1)
  st.epoch_written = true
end

-- Conditional increment of this instance's slice (and the cumulative); the comparator sees the cumulative.
local function op_inc(st, g, cmp, operand, delta)
  local c, s = st.c, st.s
  if not matches(cmp, c, operand) then return c, s, c, s end
  if out_of_range(c + delta) then return nil, overflow(g, c, delta) end
  if out_of_range(s + delta) then return nil, overflow(g, s, delta) end
  st.c, st.s, st.c_mode, st.s_mode = c + delta, s + delta, 'write', 'write'
  return st.c, st.s, c, s
end

-- Conditional global set: bumps the epoch (every other slice stops counting); this instance owns the whole value.
local function op_set(st, g, cmp, operand, value)
  local c, s = st.c, st.s
  if not matches(cmp, c, operand) then return c, s, c, s end
  bump(st)
  st.c, st.s, st.c_mode, st.s_mode = value, value, 'write', 'write'
  return value, value, c, s
end

-- Conditional set of this instance's slice; the comparator sees the slice (0 when it does not count).
local function op_set_instance(st, g, cmp, operand, value)
  local c, s = st.c, st.s
  if not matches(cmp, s, operand) then return c, s, c, s end
  local new = c - s + value
  if out_of_range(new) then return nil, overflow(g, c, value - s) end
  st.c, st.s, st.c_mode, st.s_mode = new, value, 'write', 'write'
  return new, value, c, s
end

-- Global delete: bumps the epoch, removes the cumulative and this instance's slice. Replies the values before.
local function op_del(st)
  local c, s = st.c, st.s
  bump(st)
  st.c, st.s, st.c_mode, st.s_mode = 0, 0, 'del', 'del'
  return c, s
end

-- Removes this instance's slice; a counting slice leaves the cumulative. Replies the new cumulative and the slice.
local function op_del_instance(st, g)
  local c, s = st.c, st.s
  if out_of_range(c - s) then return nil, overflow(g, c, -s) end
  st.c, st.s, st.s_mode = c - s, 0, 'del'
  if s ~= 0 then st.c_mode = 'write' end
  return c - s, s
end

-- Writes every changed key; a stale slice that was read is deleted (reads report it as 0).
local function commit()
  for _, field in ipairs(order) do
    local st = state[field]
    if st.epoch_written then redis.call('HSET', K_EPOCH, field, st.epoch) end
    if st.c_mode == 'write' then
      redis.call('HSET', K_CUMULATIVE, field, fmt(st.c))
    elseif st.c_mode == 'del' then
      redis.call('HDEL', K_CUMULATIVE, field)
    end
    if st.s_mode == 'write' then
      redis.call('HSET', K_SLICE, field, fmt(st.s))
      redis.call('HSET', K_TAG, field, GEN .. ':' .. st.epoch)
    elseif st.s_mode == 'del' or st.stale then
      redis.call('HDEL', K_SLICE, field)
      redis.call('HDEL', K_TAG, field)
    end
  end
end

-- Applies a lax writer's numbered chunk of buffered increments (pairs field, delta from ARGV[<first>]) unless the
-- writer applied that number before. Returns whether it was a replay, or nil and an error reply.
local function apply_chunk(writer, number, first, pairs)
  local replay = redis.call('ZSCORE', writer, number)
  if replay then return true end
  for i = 0, pairs - 1 do
    local st, err = load(ARGV[first + 2 * i], i)
    if err then return nil, err end
    local ok
    ok, err = op_inc(st, i, 'nil', 0, tonumber(ARGV[first + 2 * i + 1]))
    if not ok then return nil, err end
  end
  return false
end

-- Records a chunk number as applied and forgets the numbers below the lowest unconfirmed one.
local function record_chunk(writer, number, keep)
  redis.call('ZADD', writer, number, number)
  redis.call('ZREMRANGEBYSCORE', writer, '-inf', '(' .. keep)
  redis.call('PEXPIRE', writer, 86400000)
end
