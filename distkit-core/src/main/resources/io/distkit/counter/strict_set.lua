-- Conditional sets of a strict counter, applied in order, all or nothing.
-- KEYS[1]  the container hash {<prefix>:strict}
-- ARGV     groups of four: field, comparator (eq|lt|gt|ne|nil), operand, value
-- Reply    flat array: new value, old value for each group (old = new when the comparator did not match)
-- Errors   DISTKIT_OVERFLOW <group> <stored>, DISTKIT_NOTINTEGER <group> <stored>; nothing written
local hash = KEYS[1]
local values = {}
local stored = {}
local order = {}
local written = {}  -- fields a matching group set
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
    new = tonumber(ARGV[4 * g + 4])
    values[field] = new
    written[field] = true
  end
  reply[2 * g + 1] = new
  reply[2 * g + 2] = current
end

for _, field in ipairs(order) do
  if written[field] then
    redis.call('HSET', hash, field, fmt(values[field]))
  end
end
return reply
