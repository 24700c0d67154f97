-- the settings PostgreSQL does not pass from a group role to its members
ALTER ROLE <login> SET statement_timeout = <statementTimeout>;
ALTER ROLE <login> SET idle_in_transaction_session_timeout = <idleTimeout>;
-- the report views answer in a fraction of the time JIT compilation of their plans takes
ALTER ROLE <login> SET jit = off;
ALTER ROLE <login> CONNECTION LIMIT <connectionLimit>
