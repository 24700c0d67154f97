-- report.audit_log: who changed the rate card, the pricing policy, the customers or access, and who issued or
-- voided an invoice, when. One row per change, newest last; finance reads it, a tenant sees no row of it.
--
--   occurred_at    when the change was committed, UTC
--   db_role        the database role that made it (current_user)
--   login          the database login it was made from (session_user: differs after SET ROLE)
--   os_user        the operating system user that ran os-metrics
--   action         'rates import', 'access grant', 'access revoke', ...
--   subject        what changed: a rate card file, a role, an invoice number
--   detail         what exactly, as JSON (never a secret)
--   command_line   os-metrics's command line, without secrets
--   run_id         the run of the ledger (metrics.run) that made it, when there is one
DROP VIEW IF EXISTS report.audit_log;
CREATE VIEW report.audit_log AS
SELECT e.event_id,
       e.occurred_at,
       e.db_role,
       e.session_user_name AS login,
       e.os_user,
       e.action,
       e.subject,
       e.detail,
       e.command_line,
       e.run_id
FROM metrics.audit_event e;

COMMENT ON VIEW report.audit_log IS
    'Who changed the rate card, policy, customers or access, or issued or voided an invoice, when (append only).';
GRANT SELECT ON report.audit_log TO os_metrics_reader;
