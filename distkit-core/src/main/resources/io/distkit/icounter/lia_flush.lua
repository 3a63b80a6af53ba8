-- One numbered chunk of a lax instance-aware counter's buffered increments of this instance's slices. Idempotent:
-- a chunk whose number the writer has applied is not applied again.
-- KEYS     see ia_prelude.lua; KEYS[9] the writer's applied numbers T:w:<me> (sorted set, TTL 24 h)
-- ARGV     1-2 see ia_prelude.lua; 3 number; 4 lowest number the writer has not confirmed; then pairs: field, delta
-- Reply    { replayed (0|1), { cumulative per pair }, { slice per pair }, { 0-based indexes of refused pairs } }
--          A pair is refused (not applied) when a stored value is unusable or a result would leave
--          +/-(2^53 - 1); the others are applied. A replay reports the current values and no refusals.
housekeeping()
local writer, number, keep = KEYS[9], ARGV[3], ARGV[4]
local count = (#ARGV - 4) / 2
local cumulatives, slices, refused = {}, {}, {}
local replay = redis.call('ZSCORE', writer, number)
for i = 1, count do
  local st = load(ARGV[3 + 2 * i], i - 1)
  if not st then
    cumulatives[i], slices[i] = 0, 0
    refused[#refused + 1] = i - 1
  elseif replay then
    cumulatives[i], slices[i] = st.c, st.s
  else
    local nc, ns = op_inc(st, i - 1, 'nil', 0, tonumber(ARGV[4 + 2 * i]))
    if nc then
      cumulatives[i], slices[i] = nc, ns
    else
      cumulatives[i], slices[i] = st.c, st.s
      refused[#refused + 1] = i - 1
    end
  end
end
commit()
if not replay then record_chunk(writer, number, keep) end
return { replay and 1 or 0, cumulatives, slices, refused }
