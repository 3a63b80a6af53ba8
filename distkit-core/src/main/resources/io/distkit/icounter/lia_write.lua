-- Applies a lax instance-aware writer's buffered increments of some keys as a numbered chunk (idempotent, see
-- lia_flush.lua), then writes those keys: the synchronous writes of the lax instance-aware counter. Validates
-- everything before its first write of the operation.
-- KEYS     see ia_prelude.lua; KEYS[9] the writer's applied numbers
-- ARGV     1-2 see ia_prelude.lua; 3 number; 4 lowest unconfirmed number; 5 mode (set|del|delinst);
--          6 count of buffered pairs; then pairs: field, buffered delta; then
--            set:     groups of four: field, comparator applied to the cumulative, operand, value
--            del:     fields (global delete)
--            delinst: fields (this instance's slice)
-- Reply    set: flat (new cumulative, new slice, old cumulative, old slice) per group;
--          del: flat (cumulative, slice) before the deletion per field; delinst: flat (new cumulative, removed slice)
-- Errors   as ia_inc.lua; <group> counts the buffered pairs first, then the groups; nothing of the operation written
housekeeping()
local writer, number, keep, mode = KEYS[9], ARGV[3], ARGV[4], ARGV[5]
local pairs_count = tonumber(ARGV[6])
local replay, err = apply_chunk(writer, number, 7, pairs_count)
if replay == nil then return err end
local first = 7 + 2 * pairs_count
local reply = {}
if mode == 'set' then
  for g = 0, (#ARGV - first + 1) / 4 - 1 do
    local a = first + 4 * g
    local st
    st, err = load(ARGV[a], pairs_count + g)
    if err then return err end
    local nc, ns, oc, os = op_set(st, pairs_count + g, ARGV[a + 1], tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3]))
    reply[4 * g + 1], reply[4 * g + 2], reply[4 * g + 3], reply[4 * g + 4] = nc, ns, oc, os
  end
else
  for i = first, #ARGV do
    local g = pairs_count + i - first
    local st
    st, err = load(ARGV[i], g)
    if err then return err end
    local a, b
    if mode == 'del' then
      a, b = op_del(st)
    else
      a, b = op_del_instance(st, g)
      if not a then return b end
    end
    reply[2 * (i - first) + 1], reply[2 * (i - first) + 2] = a, b
  end
end
commit()
if not replay then record_chunk(writer, number, keep) end
return reply
