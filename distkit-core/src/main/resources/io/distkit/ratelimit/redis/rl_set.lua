-- Conditional set of an entity's window total (both strategies). Nothing is written when the comparator misses.
-- KEYS[1]  h, KEYS[2]  a (see window_prelude.lua)
-- ARGV     bucket ms B, buckets per window n, comparator (eq|lt|gt|ne|nil), operand, target count,
--          history (replace | preserve_newest | preserve_oldest), suppressed (0|1)
-- Reply    { matched (0|1), previous live total, current total }
local h, a = KEYS[1], KEYS[2]
local B, n = tonumber(ARGV[1]), tonumber(ARGV[2])
local cmp, operand, target = ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5])
local history, suppressed = ARGV[6], ARGV[7] == '1'
local now = now_ms()
local b = math.floor(now / B)
local state = load_state(h, suppressed)

-- the live total as the comparator sees it, read without writing
local live = state.t
if state.exists and state.o ~= nil and state.o <= b - n then
  live = live - sum_fields(h, 'c', redis.call('ZRANGEBYSCORE', a, '-inf', b - n))
end
if state.cfg ~= nil and state.cfg ~= B then
  live = state.t -- different buckets: the whole total carries over
end
if live < 0 then live = 0 end
if not matches(cmp, live, operand) then return { 0, live, live } end
if target == 0 then
  redis.call('DEL', h, a)
  return { 1, live, 0 }
end

follow_bucket_length(h, a, state, B, b, n * B + B + 1000)
local expired = redis.call('ZRANGEBYSCORE', a, '-inf', b - n)
state.t = state.t - sum_fields(h, 'c', expired)
if suppressed then state.d = state.d - sum_fields(h, 'x', expired) end
delete_buckets(h, a, expired)

local ttl = n * B + B + 1000
if history == 'replace' then
  delete_buckets(h, a, redis.call('ZRANGE', a, 0, -1))
  redis.call('HSET', h, 'c' .. fmt(b), fmt(target), 't', fmt(target), 'd', '0', 'o', fmt(b), 'cfg', fmt(B))
  redis.call('ZADD', a, fmt(b), fmt(b))
else
  local members = redis.call('ZRANGE', a, 0, -1)
  local counts, declines = {}, {}
  for i, member in ipairs(members) do
    counts[i] = tonumber(redis.call('HGET', h, 'c' .. member)) or 0
    declines[i] = tonumber(redis.call('HGET', h, 'x' .. member)) or 0
  end
  local keep_newest = history == 'preserve_newest'
  local delta = target - state.t
  if #members == 0 then
    members[1] = fmt(b)
    counts[1] = 0
    declines[1] = 0
    redis.call('ZADD', a, fmt(b), fmt(b))
  end
  if delta > 0 then
    local i = keep_newest and #members or 1
    counts[i] = counts[i] + delta
  elseif delta < 0 then
    local remove = -delta
    local first, last, step = 1, #members, 1
    if not keep_newest then first, last, step = #members, 1, -1 end
    for i = first, last, step do
      if remove <= 0 then break end
      local c = counts[i]
      if c > 0 then
        if c <= remove then
          remove = remove - c
          counts[i] = 0
          declines[i] = 0
        else
          local kept = c - remove
          declines[i] = mul_div_floor(declines[i], kept, c)
          counts[i] = kept
          remove = 0
        end
      end
    end
  end
  local declined = 0
  for i, member in ipairs(members) do
    if counts[i] > 0 then
      redis.call('HSET', h, 'c' .. member, fmt(counts[i]))
      if declines[i] > 0 then
        redis.call('HSET', h, 'x' .. member, fmt(declines[i]))
      else
        redis.call('HDEL', h, 'x' .. member)
      end
      declined = declined + declines[i]
    else
      redis.call('HDEL', h, 'c' .. member, 'x' .. member)
      redis.call('ZREM', a, member)
    end
  end
  redis.call('HSET', h, 't', fmt(target), 'd', fmt(declined), 'cfg', fmt(B))
  refresh_oldest(h, a, state)
end
redis.call('HDEL', h, 'sf', 'sfx')
redis.call('PEXPIRE', h, ttl)
redis.call('PEXPIRE', a, ttl)
return { 1, live, target }
