SELECT resource, flavor, unit_price, currency, minor_units, valid_from, valid_to, source
FROM metrics.rate_card
ORDER BY resource, flavor NULLS FIRST, valid_from
