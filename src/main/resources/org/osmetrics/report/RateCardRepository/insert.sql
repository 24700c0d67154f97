INSERT INTO metrics.rate_card (resource, flavor, unit_price, currency, minor_units, valid_from, valid_to,
                               source, run_id)
VALUES (:resource, :flavor, :unitPrice, :currency, :minorUnits, :validFrom, :validTo, :source, :runId)
