-- Applies a lax writer's buffered increments of some keys as a numbered chunk (idempotent, see lax_flush.lua),
-- then sets or deletes those keys: the synchronous writes of a lax counter. Validates everything before writing.
-- KEYS[1]  the container hash {<prefix>:lax}
-- KEYS[2]  the writer's applied numbers {<prefix>:lax}:w:<writerId>
-- ARGV     number, lowest unconfirmed number, mode (set|del), then
--            set: groups of five: field, buffered delta, comparator, operand, value
--            del: pairs: field, buffered delta
-- Reply    set: flat (new, old) per group, old = stored + buffered delta (new = old when the comparator did not match)
--          del: the value per pair before deletion (stored + buffered delta)
-- Errors   DISTKIT_OVERFLOW <group> <stored> <delta>, DISTKIT_OVERFLOW <group> <stored>,
--          DISTKIT_NOTINTEGER <group> <stored>; nothing written
local hash, writer = KEYS[1], KEYS[2]
local number, keep, mode = ARGV[1], tonumber(ARGV[2]), ARGV[3]
local width = (mode == 'set') and 5 or 2
local count = (#ARGV - 3) / width
local replay = redis.call('ZSCORE', writer, number)

local values, stored, order = {}, {}, {}
local function base(g)
  return 3 + width * g
end

-- read and apply the buffered deltas in memory first
for g = 0, count - 1 do
  local field = ARGV[base(g) + 1]
  if values[field] == nil then
    local current, err = parse(redis.call('HGET', hash, field), g)
    if err then return err end
    values[field] = current
    stored[field] = current
    order[#order + 1] = field
  end
  if not replay then
    local delta = tonumber(ARGV[base(g) + 2])
    local new = values[field] + delta
    if new > MAX or new < -MAX then return overflow(g, values[field], delta) end
    values[field] = new
  end
end

local reply = {}
local deleted = {}
for g = 0, count - 1 do
  local field = ARGV[base(g) + 1]
  local current = values[field]
  if mode == 'set' then
    local new = current
    if matches(ARGV[base(g) + 3], current, tonumber(ARGV[base(g) + 4])) then
      new = tonumber(ARGV[base(g) + 5])
      values[field] = new
      stored[field] = nil -- force the write
    end
    reply[2 * g + 1] = new
    reply[2 * g + 2] = current
  else
    reply[g + 1] = current
    values[field] = 0
    deleted[field] = true
  end
end

for _, field in ipairs(order) do
  if deleted[field] then
    redis.call('HDEL', hash, field)
  elseif values[field] ~= stored[field] then
    redis.call('HSET', hash, field, fmt(values[field]))
  end
end
if not replay then
  redis.call('ZADD', writer, number, number)
end
redis.call('ZREMRANGEBYSCORE', writer, '-inf', '(' .. keep)
redis.call('PEXPIRE', writer, 86400000)
return reply
