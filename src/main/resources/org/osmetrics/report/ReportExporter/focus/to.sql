"BillingPeriodStart" < :to
