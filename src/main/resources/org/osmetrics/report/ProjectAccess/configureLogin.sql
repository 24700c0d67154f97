-- the settings PostgreSQL does not pass from a group role to its members
ALTER ROLE <login> SET statement_timeout = <statementTimeout>;
ALTER ROLE <login> SET idle_in_transaction_session_timeout = <idleTimeout>;
ALTER ROLE <login> CONNECTION LIMIT <connectionLimit>
