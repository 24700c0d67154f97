package org.osmetrics.pipeline;

import java.util.HashSet;
import java.util.Set;
import org.osmetrics.extract.ServerUsage;
import org.osmetrics.extract.TenantUsage;
import org.osmetrics.extract.UsageExtraction;
import org.osmetrics.load.LoadResult;

/** What the ranges of one run or backfill added up to, for its summary and ledger. Not thread-safe. */
final class LoadTotals {
    private final Set<String> servers = new HashSet<>();
    int windows;
    long rows;
    long restatements;
    int anomalies;
    boolean reconciled = true;
    boolean provisional;

    void add(UsageExtraction extraction, LoadResult result) {
        for (TenantUsage tenant : extraction.tenants()) {
            tenant.servers().stream().map(ServerUsage::instanceId).forEach(servers::add);
        }
        windows += result.windows();
        rows += result.rows();
        restatements += result.restatements();
        anomalies += result.anomalies();
        reconciled &= result.reconciled();
        provisional |= result.provisional();
    }

    /** Distinct servers seen. */
    int servers() {
        return servers.size();
    }
}
