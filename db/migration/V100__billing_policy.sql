-- The billing policy (issue #16; README, "Billing policy"): per cloud, which resources of a server are billed in
-- each vm_state, effective-dated like the rate card. Loaded with `os-metrics policy import FILE.csv [--cloud KEY]`,
-- which refuses unknown states and resources, a state listed twice in a version and versions in force at the same
-- time (in the file or against the cloud's policy), naming the file and line.
--
-- A version of the policy is the lines of one cloud with the same [valid_from, valid_to): it is in force for windows
-- that START in that range (as prices are). Versions of a cloud never overlap. A state a version does not list is
-- billed in full, as Nova counts it; with no version in force everything is billed in every state (Nova's view) and
-- recovered hours are not billed.
--
--   vm_state        Nova's vm_state names (active, stopped, paused, suspended, shelved, shelved_offloaded, rescued,
--                   resized, soft-delete, error, building, deleted) and terminated (usage's state of a deleted server)
--   vcpu_hour, ram_gb_hour, disk_gb_hour, flavor_hour
--                   whether that resource of the rate card is billed for hours spent in the state
--   recovered       whether hours Nova dropped and os-metrics recovered (metrics.recovered_usage) are billed in this
--                   state, for the resources billed above
--   policy_name     the file it came from: invoices name the version applied by it and its validity
CREATE TABLE metrics.billing_policy (
    policy_line_id bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cloud_id       integer     NOT NULL REFERENCES metrics.cloud,
    valid_from     timestamptz NOT NULL,
    valid_to       timestamptz,
    vm_state       text        NOT NULL CHECK (vm_state IN ('active', 'stopped', 'paused', 'suspended', 'shelved',
                                   'shelved_offloaded', 'rescued', 'resized', 'soft-delete', 'error', 'building',
                                   'deleted', 'terminated')),
    vcpu_hour      boolean     NOT NULL,
    ram_gb_hour    boolean     NOT NULL,
    disk_gb_hour   boolean     NOT NULL,
    flavor_hour    boolean     NOT NULL,
    recovered      boolean     NOT NULL,
    policy_name    text        NOT NULL,
    source         text        NOT NULL,          -- file name and line
    run_id         bigint      NOT NULL REFERENCES metrics.run,
    UNIQUE (cloud_id, valid_from, vm_state),
    CHECK (valid_to IS NULL OR valid_from < valid_to)
);
CREATE INDEX billing_policy_in_force ON metrics.billing_policy (cloud_id, valid_from);
COMMENT ON TABLE metrics.billing_policy IS
    'Per cloud and vm_state: which resources are billed, in force for windows starting in [valid_from, valid_to) (os-metrics policy import).';
