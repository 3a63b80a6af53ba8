-- Reads cumulatives and this instance's slices. A slice that does not count (older generation or epoch) reads as 0
-- and is deleted.
-- KEYS, ARGV 1-2  see ia_prelude.lua
-- ARGV 3-  fields
-- Reply    { { cumulative per field }, { slice per field }, { 0-based indexes of fields whose stored values are
--          unusable (not integers within +/-(2^53 - 1)); they read as 0 } }
housekeeping()
local cumulatives, slices, bad = {}, {}, {}
for i = 3, #ARGV do
  local st = load(ARGV[i], i - 3)
  if st then
    cumulatives[i - 2], slices[i - 2] = st.c, st.s
  else
    cumulatives[i - 2], slices[i - 2] = 0, 0
    bad[#bad + 1] = i - 3
  end
end
commit()
return { cumulatives, slices, bad }
