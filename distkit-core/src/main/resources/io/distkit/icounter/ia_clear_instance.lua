-- Removes this instance's slices, at most 1,000 per call (call again while the reply says some are left): counting
-- slices leave the cumulatives, the others are deleted. Slices waiting for recovery are dropped. While it runs the
-- instance stays registered; with <leave> = 1 the last call deregisters it.
-- KEYS, ARGV 1-2  see ia_prelude.lua
-- ARGV 3   leave (0|1)
-- Reply    { 1 while slices are left, else 0 }
local now = now_ms()
GEN = redis.call('GET', K_GEN) or '0'
redis.call('UNLINK', K_REAPED)
redis.call('HDEL', K_REAPING, ME)
local used, cursor, finished = walk(K_SLICE, '0', BUDGET, function(field, raw)
  local value = number(raw)
  if value and value ~= 0 and redis.call('HGET', K_TAG, field) == tag_of(field) then
    redis.call('HINCRBY', K_CUMULATIVE, field, fmt(-value))
  end
  redis.call('HDEL', K_SLICE, field)
  redis.call('HDEL', K_TAG, field)
end)
if finished or redis.call('EXISTS', K_SLICE) == 0 then
  redis.call('DEL', K_SLICE, K_TAG)
  if ARGV[3] == '1' then
    redis.call('ZREM', K_INSTANCES, ME)
  else
    redis.call('ZADD', K_INSTANCES, now, ME)
  end
  return { 0 }
end
redis.call('ZADD', K_INSTANCES, now, ME)
return { 1 }
