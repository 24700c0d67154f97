-- One step of loading the staged ranges one after the other: only range :doc is left to the staged statements,
-- which skip the others as they skip the fresh ones.
UPDATE stage_batch_range SET fresh = doc <> :doc
