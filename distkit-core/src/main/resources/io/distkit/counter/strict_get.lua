-- Reads strict counter values.
-- KEYS[1]  the container hash {<prefix>:strict}
-- ARGV     fields
-- Reply    array of values in ARGV order (0 for an absent field)
-- Errors   DISTKIT_OVERFLOW <index> <stored>, DISTKIT_NOTINTEGER <index> <stored>
local raw = redis.call('HMGET', KEYS[1], unpack(ARGV))
local reply = {}
for i = 1, #ARGV do
  local value, err = parse(raw[i], i - 1)
  if err then return err end
  reply[i] = value
end
return reply
