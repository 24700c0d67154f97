"BillingPeriodStart" >= :from
