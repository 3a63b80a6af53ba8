-- Global deletes: each bumps the key's epoch (every other instance's slice stops counting), removes the cumulative
-- and this instance's slice.
-- KEYS, ARGV 1-2  see ia_prelude.lua
-- ARGV 3-  fields
-- Reply    flat: cumulative and this instance's counting slice before the deletion, per field
-- Errors   DISTKIT_OVERFLOW <index> <stored>, DISTKIT_NOTINTEGER <index> <stored>; nothing of the operation written
housekeeping()
local reply = {}
for i = 3, #ARGV do
  local st, err = load(ARGV[i], i - 3)
  if err then return err end
  reply[2 * i - 5], reply[2 * i - 4] = op_del(st)
end
commit()
return reply
