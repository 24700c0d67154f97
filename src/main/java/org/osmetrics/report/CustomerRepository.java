package org.osmetrics.report;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.locator.ClasspathSqlLocator;

/** The customers and the project -> customer mapping ({@code metrics.customer}, {@code metrics.project_customer}). Thread-safe. */
public final class CustomerRepository {
    private static final ClasspathSqlLocator SQL = ClasspathSqlLocator.removingComments();

    private static final String SELECT = SQL.locate(CustomerRepository.class, "list");

    private final Jdbi jdbi;

    public CustomerRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** project id -> customer, by customer name then project. */
    public Map<String, Customer> mapping() {
        return jdbi.withHandle(handle -> {
            Map<String, Customer> mapping = new java.util.LinkedHashMap<>();
            handle.createQuery(SELECT).map((rs, ctx) -> Map.entry(rs.getString("project_id"), new Customer(
                            rs.getString("name"), rs.getString("cost_centre"), rs.getString("address"), rs.getString("tax_id"),
                            rs.getBigDecimal("tax_rate").stripTrailingZeros(), rs.getString("currency"), rs.getString("source"))))
                    .forEach(e -> mapping.put(e.getKey(), e.getValue()));
            return mapping;
        });
    }

    /**
     * Replaces the mapping by the file's, in one transaction, after checking it against the database: every project
     * must be known (in some cloud's data) and every customer's currency must be the rate card's. Refused (exit 2,
     * the file and line named, nothing changed) otherwise.
     *
     * @return the number of customers afterwards
     */
    public int importMapping(CustomerMapping mapping, long runId) {
        return jdbi.inTransaction(handle -> {
            handle.execute(SQL.locate(CustomerRepository.class, "lock"));
            check(handle, mapping);
            handle.execute(SQL.locate(CustomerRepository.class, "deleteProjectCustomers"));
            handle.execute(SQL.locate(CustomerRepository.class, "deleteCustomers"));
            Map<String, Integer> ids = new HashMap<>();
            for (Customer customer : mapping.customers().values()) {
                ids.put(customer.name(), handle.createQuery(SQL.locate(CustomerRepository.class, "insertCustomer"))
                        .bindMethods(customer)
                        .bind("runId", runId)
                        .mapTo(Integer.class).one());
            }
            var batch = handle.prepareBatch(SQL.locate(CustomerRepository.class, "insertProjectCustomer"));
            for (CustomerMapping.Line line : mapping.projects().values()) {
                batch.bind("project", line.projectId()).bind("customer", ids.get(line.customer().name()))
                        .bind("source", line.where()).add();
            }
            batch.execute();
            return ids.size();
        });
    }

    private static void check(Handle handle, CustomerMapping mapping) {
        Set<String> known = new java.util.HashSet<>(handle.createQuery(SQL.locate(CustomerRepository.class, "knownProjects"))
                .mapTo(String.class).list());
        for (CustomerMapping.Line line : mapping.projects().values()) {
            if (!known.contains(line.projectId())) {
                throw CustomerMapping.refused(line.where(), "unknown project '" + line.projectId()
                        + "' (no cloud's data names it: check the id, or load its usage first)");
            }
        }
        Set<String> card = new TreeSet<>(handle.createQuery(SQL.locate(CustomerRepository.class, "rateCardCurrencies"))
                .mapTo(String.class).list());
        if (card.isEmpty()) {
            return;   // no prices yet: `invoice` checks the currencies of the lines it prices
        }
        for (CustomerMapping.Line line : mapping.projects().values()) {
            if (card.size() > 1 || !card.contains(line.customer().currency())) {
                throw CustomerMapping.refused(line.where(), "customer '" + line.customer().name() + "' is invoiced in "
                        + line.customer().currency() + " but the rate card prices in " + String.join(", ", card)
                        + ": one currency per rate card and customer (there are no exchange rates)");
            }
        }
    }

    /** The projects among {@code projects} without a customer, sorted. */
    public List<String> withoutCustomer(Set<String> projects) {
        Map<String, Customer> mapping = mapping();
        List<String> missing = new ArrayList<>();
        for (String project : new TreeSet<>(projects)) {
            if (!mapping.containsKey(project)) {
                missing.add(project);
            }
        }
        return missing;
    }
}
