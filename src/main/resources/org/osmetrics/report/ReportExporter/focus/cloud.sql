-- FOCUS names the cloud ProviderName
"ProviderName" = :cloud
