-- The month's hours of every project per state its servers were in (report.server_usage_by_state, issue #15's
-- timelines): recovered hours (Nova had dropped them) and states inferred without a timeline apart.
SELECT project_id, vm_state, recovered, state_known,
       trim_scale(sum(hours))      AS server_hours,
       trim_scale(sum(vcpu_hours)) AS vcpu_hours
FROM report.server_usage_by_state
WHERE cloud_key = :cloud AND window_start >= :from AND window_start < :to
GROUP BY project_id, vm_state, recovered, state_known
ORDER BY project_id, server_hours DESC, vm_state, recovered, state_known
