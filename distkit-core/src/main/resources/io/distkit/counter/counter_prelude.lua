-- Shared by every counter script (prepended by the Java side before loading).
-- Counter values are decimal integers within +/-(2^53 - 1), the range a Lua number holds exactly.
local MAX = 9007199254740991

-- Formats an integral Lua number as a decimal integer string.
local function fmt(n)
  if n == 0 then n = 0 end -- no "-0"
  return string.format('%.0f', n)
end

-- Whether the comparator <cmp> with <operand> matches <current>; an unknown name never matches.
local function matches(cmp, current, operand)
  if cmp == 'nil' then return true
  elseif cmp == 'eq' then return current == operand
  elseif cmp == 'lt' then return current < operand
  elseif cmp == 'gt' then return current > operand
  elseif cmp == 'ne' then return current ~= operand
  end
  return false
end

-- Parses a stored value (false when absent = 0). Returns the number, or nil and an error reply naming item <g>.
local function parse(raw, g)
  if not raw then return 0 end
  if not string.match(raw, '^%-?%d+$') then
    return nil, redis.error_reply('DISTKIT_NOTINTEGER ' .. g .. ' ' .. raw)
  end
  local n = tonumber(raw)
  if n > MAX or n < -MAX then
    return nil, redis.error_reply('DISTKIT_OVERFLOW ' .. g .. ' ' .. raw)
  end
  return n
end

-- Error reply for a result <current> + <delta> outside the range, naming item <g>.
local function overflow(g, current, delta)
  return redis.error_reply('DISTKIT_OVERFLOW ' .. g .. ' ' .. fmt(current) .. ' ' .. fmt(delta))
end

