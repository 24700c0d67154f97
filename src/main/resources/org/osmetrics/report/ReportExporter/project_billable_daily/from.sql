-- months start at local midnight of the cloud's billing zone: up to a day before the UTC month
day_start >= :from AND month_start >= date_trunc('month', CAST(:from AS timestamptz), 'UTC') - interval '1 day'
