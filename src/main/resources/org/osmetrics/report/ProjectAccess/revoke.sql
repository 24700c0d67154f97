REVOKE <group> FROM <role>
