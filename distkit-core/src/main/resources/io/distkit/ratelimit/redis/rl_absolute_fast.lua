-- Loaded before the preludes of rl_absolute.lua: the absolute strategy's common case, decided before the shared
-- functions are defined (creating those closures costs Redis about 1.8 us on every call, a third of the decision).
-- It covers an inc or detailed decision of a live entity whose current bucket already holds units, made with the
-- same bucket length, with nothing to evict, that fits: then it does exactly what the general path would do (add
-- the count to the bucket and to the total, reply as admitted). Every other case falls through to the general path.
do
  local mode = ARGV[1]
  if mode == 'inc' or mode == 'detailed' then
    local B, n, capacity, count = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
    local time = redis.call('TIME')
    local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
    local b = math.floor(now / B)
    local field = 'c' .. string.format('%.0f', b)
    local raw = redis.call('HMGET', KEYS[1], 't', 'o', 'cfg', field)
    local total, oldest, held = tonumber(raw[1]), tonumber(raw[2]), tonumber(raw[4])
    if total and oldest and oldest > b - n and tonumber(raw[3]) == B and held and held > 0 and count >= 0
        and (capacity < 0 or total + count <= capacity) then
      redis.call('HINCRBY', KEYS[1], field, ARGV[5])
      redis.call('HINCRBY', KEYS[1], 't', ARGV[5])
      if mode == 'inc' then return { 0 } end
      local reset = math.min((oldest + n) * B - now, n * B)
      if reset < 0 then reset = 0 end
      return { 0, (capacity >= 0) and (capacity - total - count) or -1, reset }
    end
  end
end
