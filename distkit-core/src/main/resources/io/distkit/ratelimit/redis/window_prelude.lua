-- Shared by the rate-limit scripts (prepended after counter_prelude.lua by the Java side).
--
-- One entity (limit + key + strategy) is two keys under one hash tag:
--   h  hash:  t = window total (suppressed: every unit offered), d = declined total (suppressed),
--             o = oldest bucket number holding counts, cfg = bucket length in ms the buckets were made with,
--             sf / sfx = cached suppression factor and its expiry (Redis ms), w:<writer> = a hybrid writer's last
--             applied commit number, c<b> / x<b> = count / declined count of bucket b
--   a  sorted set of bucket numbers (member = score = b)
-- Bucket b covers Redis time [b * B, (b + 1) * B) ms; the live window at bucket b is (b - n, b].
-- Both keys expire window + bucket + 1 s after the newest bucket was created.

local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- Reads the entity's state into a table.
local function load_state(h, suppressed)
  local raw = redis.call('HMGET', h, 't', 'd', 'o', 'cfg', 'sf', 'sfx')
  return {
    exists = raw[1] ~= false,
    t = tonumber(raw[1]) or 0,
    d = tonumber(raw[2]) or 0,
    o = tonumber(raw[3]),
    cfg = tonumber(raw[4]),
    sf = tonumber(raw[5]),
    sfx = tonumber(raw[6]) or 0,
    suppressed = suppressed,
  }
end

-- Sums the bucket fields <prefix><b> for the given bucket numbers.
local function sum_fields(h, prefix, buckets)
  if #buckets == 0 then return 0 end
  local fields = {}
  for i, b in ipairs(buckets) do fields[i] = prefix .. fmt(tonumber(b)) end
  local values = redis.call('HMGET', h, unpack(fields))
  local sum = 0
  for i = 1, #values do sum = sum + (tonumber(values[i]) or 0) end
  return sum
end

-- Deletes the bucket fields and members of the given bucket numbers.
local function delete_buckets(h, a, buckets)
  if #buckets == 0 then return end
  local fields = {}
  for _, b in ipairs(buckets) do
    fields[#fields + 1] = 'c' .. fmt(tonumber(b))
    fields[#fields + 1] = 'x' .. fmt(tonumber(b))
  end
  redis.call('HDEL', h, unpack(fields))
  redis.call('ZREM', a, unpack(buckets))
end

-- Records the oldest remaining bucket number in o.
local function refresh_oldest(h, a, state)
  local first = redis.call('ZRANGE', a, 0, 0)
  if #first > 0 then
    state.o = tonumber(first[1])
    redis.call('HSET', h, 'o', first[1])
  else
    state.o = nil
    redis.call('HDEL', h, 'o')
  end
end

-- Removes buckets at or below <cutoff>, at most 512 per call (the rest on the next call: until then the total
-- still counts them, which only errs on the safe side). Returns whether anything was removed.
local function evict(h, a, state, cutoff)
  if state.o == nil or state.o > cutoff then return false end
  local expired = redis.call('ZRANGEBYSCORE', a, '-inf', cutoff, 'LIMIT', 0, 512)
  local removed = #expired > 0
  if removed then
    state.t = state.t - sum_fields(h, 'c', expired)
    if state.suppressed then state.d = state.d - sum_fields(h, 'x', expired) end
    if state.t < 0 then state.t = 0 end
    if state.d < 0 then state.d = 0 end
    delete_buckets(h, a, expired)
    redis.call('HSET', h, 't', fmt(state.t), 'd', fmt(state.d))
  end
  refresh_oldest(h, a, state)
  return removed
end

-- When the bucket length changed, moves the live totals into the current bucket (nothing counted is forgotten).
-- That bucket is new: both keys expire <ttl_ms> (window + bucket + 1 s) from now, as after any new bucket.
local function follow_bucket_length(h, a, state, B, b, ttl_ms)
  if state.cfg == nil or state.cfg == B then return end
  local all = redis.call('ZRANGE', a, 0, -1)
  delete_buckets(h, a, all)
  if state.t > 0 then
    redis.call('HSET', h, 'c' .. fmt(b), fmt(state.t))
    if state.d > 0 then redis.call('HSET', h, 'x' .. fmt(b), fmt(state.d)) end
    redis.call('ZADD', a, fmt(b), fmt(b))
    state.o = b
    redis.call('HSET', h, 'o', fmt(b))
    redis.call('PEXPIRE', h, ttl_ms)
    redis.call('PEXPIRE', a, ttl_ms)
  end
  redis.call('HSET', h, 'cfg', fmt(B))
  state.cfg = B
end

-- floor(x * y / z) exactly, for integers 0 <= x <= z, 0 <= y < 2^53 and 0 < z < 2^53: the product itself may
-- not fit a Lua number (a double), so the division runs bit by bit over y, keeping the remainder below z.
local function mul_div_floor(x, y, z)
  local q, r, bit = 0, 0, 4503599627370496 -- 2^52
  while bit >= 1 do
    q, r = q * 2, r * 2
    if r >= z then q, r = q + 1, r - z end
    if y >= bit then
      y = y - bit
      if x >= z - r then q, r = q + 1, x - (z - r) else r = r + x end
    end
    bit = bit / 2
  end
  return q
end

-- Adds <count> (and <declined>) to bucket <b>; creates the bucket, sets o and the TTLs when it is new.
local function record(h, a, state, b, count, declined, ttl)
  local now_count = redis.call('HINCRBY', h, 'c' .. fmt(b), fmt(count))
  state.t = state.t + count
  redis.call('HINCRBY', h, 't', fmt(count))
  if declined > 0 then
    redis.call('HINCRBY', h, 'x' .. fmt(b), fmt(declined))
    redis.call('HINCRBY', h, 'd', fmt(declined))
    state.d = state.d + declined
  end
  if now_count == count then
    redis.call('ZADD', a, fmt(b), fmt(b))
    if state.o == nil or b < state.o then
      state.o = b
      redis.call('HSET', h, 'o', fmt(b))
    end
    if state.cfg == nil then
      redis.call('HSET', h, 'cfg', fmt(ttl.B))
      state.cfg = ttl.B
    end
    redis.call('PEXPIRE', h, ttl.ms)
    redis.call('PEXPIRE', a, ttl.ms)
  end
end

-- Time in ms until the oldest live bucket leaves the window, within [0, n * B]; 0 when there is none.
local function reset_after(state, n, B, now)
  if state.o == nil then return 0 end
  local ms = (state.o + n) * B - now
  if ms < 0 then return 0 end
  if ms > n * B then return n * B end
  return ms
end

-- The count of the oldest live bucket.
local function oldest_count(h, state)
  if state.o == nil then return 0 end
  return tonumber(redis.call('HGET', h, 'c' .. fmt(state.o))) or 0
end

-- The suppression factor from the live window: 1 once accepted usage reaches the hard capacity, 0 below the soft
-- capacity, else 1 - target rate / perceived rate (the larger of the window average and the last second).
local function compute_factor(h, state, soft, hard, B, n, b, now)
  if state.t <= 0 then return 0 end
  local accepted = state.t - state.d
  if accepted >= hard then return 1 end
  if accepted < soft then return 0 end
  if accepted == soft and soft == hard then return 1 end
  local first = math.floor((now - 1000) / B) + 1
  if first < b - n + 1 then first = b - n + 1 end
  local recent = {}
  for x = first, b do recent[#recent + 1] = x end
  local last_second = sum_fields(h, 'c', recent)
  local seconds = n * B / 1000
  local perceived = math.max(state.t / seconds, last_second)
  local value = 1 - (soft / seconds) / perceived
  if value ~= value or value < 0 then return 0 end
  if value > 1 then return 1 end
  return value
end

-- The cached factor if still valid, else a freshly computed one (cached for <cache_ms> when <store>).
local function factor(h, state, soft, hard, B, n, b, now, cache_ms, store)
  if state.sf ~= nil and state.sfx > now and state.sf >= 0 and state.sf <= 1 then return state.sf end
  local value = compute_factor(h, state, soft, hard, B, n, b, now)
  if store then
    redis.call('HSET', h, 'sf', string.format('%.17g', value), 'sfx', fmt(now + cache_ms))
    state.sf = value
    state.sfx = now + cache_ms
  end
  return value
end

local function cache_factor(h, state, value, now, cache_ms)
  redis.call('HSET', h, 'sf', string.format('%.17g', value), 'sfx', fmt(now + cache_ms))
  state.sf = value
  state.sfx = now + cache_ms
end

local function drop_factor(h, state)
  if state.sf ~= nil then
    redis.call('HDEL', h, 'sf', 'sfx')
    state.sf = nil
  end
end

