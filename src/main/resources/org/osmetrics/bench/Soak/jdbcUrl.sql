SELECT 'jdbc:postgresql://'
|| coalesce(host(inet_server_addr()), 'localhost') || ':' || current_setting('port') || '/'
|| current_database()
