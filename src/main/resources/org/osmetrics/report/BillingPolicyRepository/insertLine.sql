INSERT INTO metrics.billing_policy (cloud_id, valid_from, valid_to, vm_state, vcpu_hour, ram_gb_hour,
                                    disk_gb_hour, flavor_hour, recovered, policy_name, source, run_id)
VALUES (:cloudId, :validFrom, :validTo, :vmState, :vcpuHour, :ramGbHour, :diskGbHour, :flavorHour, :recovered,
        :policyName, :source, :runId)
