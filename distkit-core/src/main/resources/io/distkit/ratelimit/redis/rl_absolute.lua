-- A decision of the absolute strategy: admit while total + count <= capacity.
-- KEYS[1]  h  <prefix>:rl:{<limit>:<key>}:absolute:h
-- KEYS[2]  a  <prefix>:rl:{<limit>:<key>}:absolute:a
-- ARGV     mode (inc | detailed | check | get | refund), bucket ms B, buckets per window n,
--          capacity (-1 = unlimited), count
-- Reply    inc:      { 0 } admitted, or { 1, retry after ms, units the oldest bucket releases }
--          detailed: { 0, remaining, reset after ms } or the rejection above
--          check:    as inc for one unit, nothing counted
--          get:      { total }
--          refund:   { total after giving back count }
local h, a = KEYS[1], KEYS[2]
local mode = ARGV[1]
local B, n, capacity, count = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local now = now_ms()
local b = math.floor(now / B)
local state = load_state(h, false)

-- reads and refunds of an entity that does not exist (never written, or expired) write nothing
if (mode == 'get' or mode == 'refund') and not state.exists then return { 0 } end
follow_bucket_length(h, a, state, B, b, n * B + B + 1000)
evict(h, a, state, b - n)

if mode == 'get' then return { state.t } end

if mode == 'refund' then
  local left = math.min(count, state.t)
  local buckets = redis.call('ZREVRANGE', a, 0, -1)
  for _, member in ipairs(buckets) do
    if left <= 0 then break end
    local field = 'c' .. member
    local have = tonumber(redis.call('HGET', h, field)) or 0
    local take = math.min(have, left)
    if take > 0 then
      redis.call('HINCRBY', h, field, fmt(-take))
      left = left - take
      state.t = state.t - take
    end
  end
  redis.call('HSET', h, 't', fmt(state.t))
  return { state.t }
end

local need = (mode == 'check') and 1 or count
if capacity >= 0 and state.t + need > capacity then
  if need > capacity or state.o == nil then return { 1, 0, 0 } end
  return { 1, reset_after(state, n, B, now), oldest_count(h, state) }
end
if mode == 'check' then return { 0 } end

record(h, a, state, b, count, 0, { B = B, ms = n * B + B + 1000 })
if mode == 'detailed' then
  local remaining = (capacity >= 0) and (capacity - state.t) or -1
  return { 0, remaining, reset_after(state, n, B, now) }
end
return { 0 }
