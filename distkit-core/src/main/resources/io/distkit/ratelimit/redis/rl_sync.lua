-- A hybrid writer's commit of usage it admitted locally, and the read of the entity's state (count 0 = read only).
-- Idempotent: the hash keeps each writer's last applied commit number (field w:<writer>); a commit whose number is
-- not above it was applied before and is only read. Usage is recorded in the bucket of (now - age), and dropped
-- when that bucket already left the window.
-- KEYS[1]  h, KEYS[2]  a (see window_prelude.lua)
-- ARGV     strategy (absolute|suppressed), bucket ms B, buckets per window n, soft capacity, hard capacity,
--          factor cache ms, writer id, commit number, count, declined, age ms
-- Reply    { total, declined, reset after ms, oldest bucket count, factor, factor valid for ms }
local h, a = KEYS[1], KEYS[2]
local suppressed = ARGV[1] == 'suppressed'
local B, n = tonumber(ARGV[2]), tonumber(ARGV[3])
local soft, hard, cache_ms = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local writer, number = ARGV[7], tonumber(ARGV[8])
local count, declined, age = tonumber(ARGV[9]), tonumber(ARGV[10]), tonumber(ARGV[11])
local now = now_ms()
local b = math.floor(now / B)
local state = load_state(h, suppressed)

if state.exists then
  follow_bucket_length(h, a, state, B, b, n * B + B + 1000)
  if evict(h, a, state, b - n) then drop_factor(h, state) end
end

if count > 0 or declined > 0 then
  local applied = tonumber(redis.call('HGET', h, 'w:' .. writer)) or 0
  if number > applied then
    local target = math.floor((now - age) / B)
    if target > b then target = b end
    if target > b - n then
      record(h, a, state, target, count, declined, { B = B, ms = n * B + B + 1000 })
      if suppressed and state.t - state.d >= hard then cache_factor(h, state, 1, now, cache_ms) end
    end
    redis.call('HSET', h, 'w:' .. writer, fmt(number))
    if redis.call('PTTL', h) < 0 then
      redis.call('PEXPIRE', h, n * B + B + 1000)
    end
  end
end

if not state.exists and count == 0 and declined == 0 then
  return { 0, 0, 0, 0, '0', 0 }
end
local f, valid = 0, 0
if suppressed then
  f = factor(h, state, soft, hard, B, n, b, now, cache_ms, true)
  valid = state.sfx - now
  if valid < 0 then valid = 0 end
end
return { state.t, math.min(state.d, state.t), reset_after(state, n, B, now), oldest_count(h, state),
  string.format('%.17g', f), valid }
