GRANT <group> TO <role>
