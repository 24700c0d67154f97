-- A price of the rate card fits numeric(19,10): at most 9 digits before the decimal point and 10 after it
-- (999999999.9999999999 per unit), never NaN or infinite. `rates import` refuses any other price naming the
-- file and line (a price such as 1e400 made invoices of 400-digit amounts; one with more decimal places is
-- refused rather than rounded); this constraint holds every other writer to the same bounds.
-- The column keeps its type (the invoice views depend on it). NOT VALID: rows already loaded are not checked,
-- so the migration never fails on an old card; re-import such a card to bring it within the bounds.
ALTER TABLE metrics.rate_card
    ADD CONSTRAINT rate_card_unit_price_within_numeric_19_10
    CHECK (unit_price < 1000000000 AND unit_price = round(unit_price, 10)) NOT VALID;
