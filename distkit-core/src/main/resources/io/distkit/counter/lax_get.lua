-- Reads lax counter values.
-- KEYS[1]  the container hash {<prefix>:lax}
-- ARGV     fields
-- Reply    { { value per field, 0 when absent }, { 0-based indexes of fields whose stored value is unusable } }
local raw = redis.call('HMGET', KEYS[1], unpack(ARGV))
local values, bad = {}, {}
for i = 1, #ARGV do
  local value = parse(raw[i], i - 1)
  if value == nil then
    bad[#bad + 1] = i - 1
    value = 0
  end
  values[i] = value
end
return { values, bad }
