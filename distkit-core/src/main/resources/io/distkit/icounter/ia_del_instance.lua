-- Removes this instance's slices (no epoch bump); a counting slice leaves the cumulative, one that does not count
-- is removed without touching it.
-- KEYS, ARGV 1-2  see ia_prelude.lua
-- ARGV 3-  fields
-- Reply    flat: new cumulative and the removed slice (0 when it did not count), per field
-- Errors   DISTKIT_OVERFLOW <index> ..., DISTKIT_NOTINTEGER <index> <stored>; nothing of the operation written
housekeeping()
local reply = {}
for i = 3, #ARGV do
  local st, err = load(ARGV[i], i - 3)
  if err then return err end
  local c, s = op_del_instance(st, i - 3)
  if not c then return s end
  reply[2 * i - 5], reply[2 * i - 4] = c, s
end
commit()
return reply
