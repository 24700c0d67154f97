-- The rate card: effective-dated unit prices that report.invoice_monthly applies to the usage.
-- Loaded with `os-metrics rates import FILE.csv` (format in README, "rates"; example in examples/rates.csv),
-- which refuses overlapping ranges for the same resource (and flavor), unknown resources and mixed
-- currencies in force at the same time, so at most one price applies to a resource at any instant.
--
-- resource:    vcpu_hour    price per vCPU-hour            (usage_fact.hours x vcpus)
--              ram_gb_hour  price per RAM GiB-hour         (usage_fact.hours x memory_mb / 1024)
--              disk_gb_hour price per local disk GB-hour   (usage_fact.hours x local_gb)
--              flavor_hour  price per server-hour of the named flavor; takes precedence over the three
--                           per-resource prices for servers of that flavor while it is in force
-- valid_from/valid_to: the price is in force for windows that START in [valid_from, valid_to);
--              valid_to null means "until further notice".
-- minor_units: decimals of the currency's minor unit (EUR 2, JPY 0, BHD 3): invoice amounts round to it.
CREATE TABLE metrics.rate_card (
    rate_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    resource     text        NOT NULL CHECK (resource IN ('vcpu_hour', 'ram_gb_hour', 'disk_gb_hour', 'flavor_hour')),
    flavor       text,
    unit_price   numeric     NOT NULL CHECK (unit_price >= 0),
    currency     text        NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    minor_units  smallint    NOT NULL CHECK (minor_units BETWEEN 0 AND 4),
    valid_from   timestamptz NOT NULL,
    valid_to     timestamptz,
    source       text        NOT NULL,          -- file name and line the price came from
    run_id       bigint      NOT NULL REFERENCES metrics.run,
    CHECK ((resource = 'flavor_hour') = (flavor IS NOT NULL)),
    CHECK (valid_to IS NULL OR valid_from < valid_to)
);
CREATE INDEX rate_card_in_force ON metrics.rate_card (resource, flavor, valid_from);
