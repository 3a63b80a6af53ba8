-- Conditional increments of this instance's slices, applied in order, all or nothing.
-- KEYS, ARGV 1-2  see ia_prelude.lua
-- ARGV 3-  groups of four: field, comparator (eq|lt|gt|ne|nil) applied to the cumulative, operand, delta
-- Reply    flat: new cumulative, new slice, old cumulative, old slice per group (new = old when it did not match);
--          a slice that does not count (older generation or epoch) is 0
-- Errors   DISTKIT_OVERFLOW <group> <old> <delta>, DISTKIT_OVERFLOW <group> <stored>,
--          DISTKIT_NOTINTEGER <group> <stored>; nothing of the operation written
housekeeping()
local reply = {}
for g = 0, (#ARGV - 2) / 4 - 1 do
  local a = 3 + 4 * g
  local st, err = load(ARGV[a], g)
  if err then return err end
  local nc, ns, oc, os = op_inc(st, g, ARGV[a + 1], tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3]))
  if not nc then return ns end
  reply[4 * g + 1], reply[4 * g + 2], reply[4 * g + 3], reply[4 * g + 4] = nc, ns, oc, os
end
commit()
return reply
