-- Deletes every key of a strict counter namespace.
-- KEYS[1]  the container hash {<prefix>:strict}
-- Reply    { 1 } if the container existed, else { 0 }
return { redis.call('DEL', KEYS[1]) }
