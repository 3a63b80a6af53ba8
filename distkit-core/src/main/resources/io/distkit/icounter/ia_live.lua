-- Counts the live instances of an instance-aware container: those whose last heartbeat is younger than the
-- dead-instance threshold (the reaper removes the others on the next script of any survivor). Writes nothing.
-- KEYS[1]  T:instances (sorted set, score = last heartbeat in Redis TIME ms)
-- ARGV[1]  the dead-instance threshold in ms
-- Reply    { live instances }
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
return { redis.call('ZCOUNT', KEYS[1], '(' .. string.format('%.0f', now - tonumber(ARGV[1])), '+inf') }
