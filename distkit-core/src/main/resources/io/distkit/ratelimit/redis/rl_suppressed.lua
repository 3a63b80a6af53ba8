-- A decision of the suppressed strategy. Every unit offered is counted; refused units are counted as declined too.
-- Forecast f = accepted + count: f <= soft or f == hard admits; f > hard refuses (factor 1); in between a call is
-- admitted when the uniform draw u < 1 - factor.
-- KEYS[1]  h  <prefix>:rl:{<limit>:<key>}:suppressed:h
-- KEYS[2]  a  <prefix>:rl:{<limit>:<key>}:suppressed:a
-- ARGV     mode (inc | detailed | check | get | factor | refund), bucket ms B, buckets per window n,
--          soft capacity, hard capacity, count, uniform draw u in [0, 1), factor cache ms
-- Reply    inc:      { 0 } admitted without suppression, or { 2, factor, admitted (0|1) }
--          detailed: { 0, remaining below soft, reset after ms } or { 2, factor, admitted }
--          check:    as inc for one unit without counting or drawing (admitted when factor < 1)
--          get:      { total, declined, factor }
--          factor:   { factor }
--          refund:   { total }
local h, a = KEYS[1], KEYS[2]
local mode = ARGV[1]
local B, n = tonumber(ARGV[2]), tonumber(ARGV[3])
local soft, hard, count = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local u, cache_ms = tonumber(ARGV[7]), tonumber(ARGV[8])
local now = now_ms()
local b = math.floor(now / B)
local state = load_state(h, true)

-- reads and refunds of an entity that does not exist (never written, or expired) write nothing
if mode == 'refund' and not state.exists then return { 0 } end
if (mode == 'get' or mode == 'factor') and not state.exists then
  if mode == 'get' then return { 0, 0, '0' } end
  return { '0' }
end
follow_bucket_length(h, a, state, B, b, n * B + B + 1000)
if evict(h, a, state, b - n) then drop_factor(h, state) end

if mode == 'get' then
  local f = factor(h, state, soft, hard, B, n, b, now, cache_ms, true)
  return { state.t, math.min(state.d, state.t), string.format('%.17g', f) }
end
if mode == 'factor' then
  return { string.format('%.17g', factor(h, state, soft, hard, B, n, b, now, cache_ms, true)) }
end
if mode == 'refund' then
  local left = math.min(count, state.t - state.d)
  local buckets = redis.call('ZREVRANGE', a, 0, -1)
  for _, member in ipairs(buckets) do
    if left <= 0 then break end
    local have = (tonumber(redis.call('HGET', h, 'c' .. member)) or 0)
        - (tonumber(redis.call('HGET', h, 'x' .. member)) or 0)
    local take = math.min(have, left)
    if take > 0 then
      redis.call('HINCRBY', h, 'c' .. member, fmt(-take))
      left = left - take
      state.t = state.t - take
    end
  end
  redis.call('HSET', h, 't', fmt(state.t))
  drop_factor(h, state)
  return { state.t }
end

local need = (mode == 'check') and 1 or count
local forecast = state.t - state.d + need
local admitted, sf
if forecast <= soft or forecast == hard then
  admitted = true
  if forecast == hard and mode ~= 'check' then cache_factor(h, state, 1, now, cache_ms) end
elseif forecast > hard then
  admitted = false
  sf = 1
  if mode ~= 'check' then cache_factor(h, state, 1, now, cache_ms) end
else
  sf = factor(h, state, soft, hard, B, n, b, now, cache_ms, mode ~= 'check')
  if mode == 'check' then
    admitted = sf < 1
  else
    admitted = (sf == 0) or (sf < 1 and u < 1 - sf)
  end
end

if mode == 'check' then
  if sf == nil then return { 0 } end
  return { 2, string.format('%.17g', sf), admitted and 1 or 0 }
end

record(h, a, state, b, count, admitted and 0 or count, { B = B, ms = n * B + B + 1000 })
if sf == nil then
  if mode == 'detailed' then
    return { 0, math.max(0, soft - (state.t - state.d)), reset_after(state, n, B, now) }
  end
  return { 0 }
end
return { 2, string.format('%.17g', sf), admitted and 1 or 0 }
