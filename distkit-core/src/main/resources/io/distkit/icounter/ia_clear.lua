-- Clears the container: a new generation (no slice written before counts again, so nothing is resurrected), no
-- epochs, no cumulatives, and the slice hashes of every registered instance and of every instance being reaped
-- deleted. The registry stays; this instance's heartbeat is refreshed.
-- KEYS, ARGV 1-2  see ia_prelude.lua
-- Reply    { new generation }
local gen = redis.call('INCR', K_GEN)
redis.call('DEL', K_EPOCH, K_CUMULATIVE)
local ids = redis.call('ZRANGE', K_INSTANCES, 0, -1)
local reaping = redis.call('HKEYS', K_REAPING)
for _, id in ipairs(reaping) do ids[#ids + 1] = id end
for _, id in ipairs(ids) do
  redis.call('UNLINK', BASE .. ':slice:' .. id, BASE .. ':sliceepoch:' .. id)
end
redis.call('DEL', K_REAPING)
redis.call('UNLINK', K_REAPED)
redis.call('ZADD', K_INSTANCES, now_ms(), ME)
return { gen }
