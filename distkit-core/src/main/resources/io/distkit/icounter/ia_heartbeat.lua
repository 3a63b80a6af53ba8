-- Heartbeat of an instance-aware counter instance, with a step of reaping and of recovery.
-- KEYS, ARGV 1-2  see ia_prelude.lua
-- Reply    { created (1 when the instance was not registered), reaping unfinished (0|1), recovery unfinished (0|1) }
local created, reap_pending, recover_pending = housekeeping()
return { created, reap_pending, recover_pending }
