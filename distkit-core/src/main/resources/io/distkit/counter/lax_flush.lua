-- One numbered chunk of a lax counter's buffered increments. Idempotent: a chunk whose number the writer has
-- already applied is not applied again, so chunks can be retried after a lost reply.
-- KEYS[1]  the container hash {<prefix>:lax}
-- KEYS[2]  the writer's applied numbers {<prefix>:lax}:w:<writerId> (sorted set, score = member = number)
-- ARGV     number, lowest number the writer has not confirmed, then pairs: field, delta
-- Reply    { replayed (0|1), { value after the chunk per pair }, { 0-based indexes of refused pairs } }
--          A pair is refused (and not applied) when its stored value is not an integer or the result would leave
--          +/-(2^53 - 1); the other pairs are applied. A replay reports the current values and no refusals.
local hash, writer = KEYS[1], KEYS[2]
local number, keep = ARGV[1], tonumber(ARGV[2])
local count = (#ARGV - 2) / 2

local values = {}
if redis.call('ZSCORE', writer, number) then
  for i = 1, count do
    local value = parse(redis.call('HGET', hash, ARGV[2 * i + 1]), i - 1)
    values[i] = value or 0
  end
  return { 1, values, {} }
end

local refused = {}
for i = 1, count do
  local field = ARGV[2 * i + 1]
  local delta = tonumber(ARGV[2 * i + 2])
  local current = parse(redis.call('HGET', hash, field), i - 1)
  if current == nil then
    refused[#refused + 1] = i - 1
    values[i] = 0
  else
    local new = current + delta
    if new > MAX or new < -MAX then
      refused[#refused + 1] = i - 1
      values[i] = current
    else
      values[i] = new
      if delta ~= 0 then
        redis.call('HSET', hash, field, fmt(new))
      end
    end
  end
end

redis.call('ZADD', writer, number, number)
redis.call('ZREMRANGEBYSCORE', writer, '-inf', '(' .. keep)
redis.call('PEXPIRE', writer, 86400000)
return { 0, values, refused }
