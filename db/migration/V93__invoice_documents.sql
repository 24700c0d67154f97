-- Invoice documents as issued (`os-metrics invoice`, README "invoice"): the documents themselves (HTML and PDF
-- bytes), their data, and their numbers. Numbers are sequential and gap-free per issuer: a number is taken in the
-- transaction that stores its document (max + 1 under a lock), so a failed issue leaves no hole.
-- An issued document never changes. Issuing a month again returns the stored documents when the billed data is the
-- same; when it changed (a restatement), the old invoice is cancelled by a credit note and a new invoice issued.
-- `invoice void NUMBER` cancels an invoice by a credit note.
CREATE TABLE metrics.invoice_document (
    document_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    issuer        text        NOT NULL,          -- the issuer's name (from --issuer FILE)
    number        integer     NOT NULL CHECK (number > 0),
    number_text   text        NOT NULL,          -- as printed: the issuer's prefix and the number
    kind          text        NOT NULL CHECK (kind IN ('invoice', 'credit_note')),
    cloud_key     text        NOT NULL,
    month         text        NOT NULL CHECK (month ~ '^[0-9]{4}-[0-9]{2}$'),
    customer      text        NOT NULL,
    currency      text        NOT NULL,
    completeness  text        NOT NULL,          -- the month's completeness when issued (complete unless --allow-incomplete)
    credits       integer,                       -- a credit note: the number of the invoice it cancels
    cancelled_by  integer,                       -- an invoice: the number of the credit note that cancelled it
    total         numeric     NOT NULL,
    billed        text        NOT NULL,          -- the billed data in canonical form: compared on a re-issue
    data          text        NOT NULL,          -- lines, subtotals, tax, total: the JSON document as written (the .json file)
    html          bytea       NOT NULL,
    pdf           bytea       NOT NULL,
    issued_at     timestamptz NOT NULL,
    run_id        bigint      NOT NULL REFERENCES metrics.run,
    UNIQUE (issuer, number),
    CHECK ((kind = 'credit_note') = (credits IS NOT NULL))
);
-- at most one invoice in force per issuer, cloud, month and customer
CREATE UNIQUE INDEX invoice_document_in_force ON metrics.invoice_document (issuer, cloud_key, month, customer)
    WHERE kind = 'invoice' AND cancelled_by IS NULL;
