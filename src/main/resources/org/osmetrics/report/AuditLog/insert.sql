INSERT INTO metrics.audit_event (action, subject, detail, command_line, os_user, run_id)
VALUES (:action, :subject, CAST(:detail AS jsonb), :commandLine, :osUser, :runId)
