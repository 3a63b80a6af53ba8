-- Deletes every key of a lax counter namespace (the writers' applied numbers stay: they expire on their own).
-- KEYS[1]  the container hash {<prefix>:lax}
-- Reply    { 1 if the container existed, else 0 }
return { redis.call('DEL', KEYS[1]) }
