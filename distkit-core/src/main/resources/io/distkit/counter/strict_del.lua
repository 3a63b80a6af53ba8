-- Deletes strict counter keys, returning the values they had.
-- KEYS[1]  the container hash {<prefix>:strict}
-- ARGV     fields
-- Reply    array of the values before deletion in ARGV order (0 for an absent field)
-- Errors   DISTKIT_OVERFLOW <index> <stored>, DISTKIT_NOTINTEGER <index> <stored>; nothing deleted
local raw = redis.call('HMGET', KEYS[1], unpack(ARGV))
local reply = {}
for i = 1, #ARGV do
  local value, err = parse(raw[i], i - 1)
  if err then return err end
  reply[i] = value
end
redis.call('HDEL', KEYS[1], unpack(ARGV))
return reply
