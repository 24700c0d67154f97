GRANT <owner> TO <role>
