-- Customers: who is invoiced for which project (`os-metrics customers import FILE.csv`, README "customers").
-- The import replaces the whole mapping in one transaction after checking it: unknown projects, a project listed
-- twice, a missing tax rate, one customer with different details on two lines, and a currency other than the rate
-- card's are refused with the file and line. One currency per customer and rate card: there are no exchange rates.
--
-- tax_rate: a percentage (21 = 21 %), applied per document and rounded half up to the currency's minor unit.
CREATE TABLE metrics.customer (
    customer_id  integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name         text     NOT NULL UNIQUE CHECK (name <> ''),
    cost_centre  text,
    address      text,
    tax_id       text,
    tax_rate     numeric  NOT NULL CHECK (tax_rate >= 0 AND tax_rate <= 100),
    currency     text     NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    source       text     NOT NULL,         -- file name and line it came from
    run_id       bigint   NOT NULL REFERENCES metrics.run
);

-- The project -> customer mapping. A project id names the same project in every cloud of the database.
CREATE TABLE metrics.project_customer (
    project_id   text     PRIMARY KEY,
    customer_id  integer  NOT NULL REFERENCES metrics.customer,
    source       text     NOT NULL
);
