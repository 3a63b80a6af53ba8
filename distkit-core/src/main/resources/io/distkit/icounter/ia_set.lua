-- Conditional global sets, applied in order, all or nothing. A set bumps the key's epoch: every other instance's
-- slice stops counting and this instance's slice holds the whole value.
-- KEYS, ARGV 1-2  see ia_prelude.lua
-- ARGV 3-  groups of four: field, comparator applied to the cumulative, operand, value
-- Reply    flat: new cumulative, new slice, old cumulative, old slice per group (new = old when it did not match)
-- Errors   DISTKIT_OVERFLOW <group> <stored>, DISTKIT_NOTINTEGER <group> <stored>; nothing of the operation written
housekeeping()
local reply = {}
for g = 0, (#ARGV - 2) / 4 - 1 do
  local a = 3 + 4 * g
  local st, err = load(ARGV[a], g)
  if err then return err end
  local nc, ns, oc, os = op_set(st, g, ARGV[a + 1], tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3]))
  reply[4 * g + 1], reply[4 * g + 2], reply[4 * g + 3], reply[4 * g + 4] = nc, ns, oc, os
end
commit()
return reply
