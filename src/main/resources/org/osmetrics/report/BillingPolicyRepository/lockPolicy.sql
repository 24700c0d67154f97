-- one import at a time: the check of an import must see every line it could conflict with
LOCK TABLE metrics.billing_policy IN SHARE ROW EXCLUSIVE MODE
