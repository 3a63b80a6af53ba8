-- Conditional increments of a strict counter, applied in order, all or nothing.
-- KEYS[1]  the container hash {<prefix>:strict} (field = counter key, value = decimal integer)
-- ARGV     groups of four: field, comparator (eq|lt|gt|ne|nil), operand, delta
-- Reply    flat array: new value, old value for each group (old = new when the comparator did not match)
-- Errors   DISTKIT_OVERFLOW <group> <old> <delta>   a result would leave +/-(2^53 - 1); nothing written
--          DISTKIT_OVERFLOW <group> <stored>        a stored value lies outside that range
--          DISTKIT_NOTINTEGER <group> <stored>      a stored value is not a decimal integer
local hash = KEYS[1]

-- Fast path for the most common call, one unconditional increment: a single HINCRBY. It is kept only when the value
-- before and after lie within the range; otherwise it is undone (the value is restored exactly) and the general
-- path below decides, so both paths answer alike. HINCRBY refuses (and writes nothing for) every stored value it
-- cannot read, and reads only canonical integers, a subset of what parse accepts. A zero delta and a delta outside
-- the range take the general path (HINCRBY would create the field).
if #ARGV == 4 and ARGV[2] == 'nil' then
  local delta = tonumber(ARGV[4])
  if delta ~= 0 and delta <= MAX and delta >= -MAX then
    local new = redis.pcall('HINCRBY', hash, ARGV[1], ARGV[4])
    if type(new) == 'number' then
      local old = new - delta
      if new <= MAX and new >= -MAX and old <= MAX and old >= -MAX then
        return {new, old}
      end
      redis.call('HINCRBY', hash, ARGV[1], fmt(-delta))
    end
  end
end

local values = {}   -- field -> value as this script sees it
local stored = {}   -- field -> value read from Redis
local order = {}    -- fields in first-touch order
local reply = {}

for g = 0, #ARGV / 4 - 1 do
  local field = ARGV[4 * g + 1]
  local current = values[field]
  if current == nil then
    local err
    current, err = parse(redis.call('HGET', hash, field), g)
    if err then return err end
    values[field] = current
    stored[field] = current
    order[#order + 1] = field
  end
  local new = current
  if matches(ARGV[4 * g + 2], current, tonumber(ARGV[4 * g + 3])) then
    new = current + tonumber(ARGV[4 * g + 4])
    if new > MAX or new < -MAX then return overflow(g, current, tonumber(ARGV[4 * g + 4])) end
    values[field] = new
  end
  reply[2 * g + 1] = new
  reply[2 * g + 2] = current
end

for _, field in ipairs(order) do
  if values[field] ~= stored[field] then
    redis.call('HSET', hash, field, fmt(values[field]))
  end
end
return reply
