package org.osmetrics.sim;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The in-memory cloud behind {@link SimServer}: Keystone projects and Nova instances (with their
 * current flavor, {@code launched_at}, {@code terminated_at} and {@code vm_state}), plus the resizes
 * that shaped them. Immutable and thread-safe.
 *
 * <p>Instances are kept sorted by (project id, uuid), Nova's paging order, with an index from uuid to
 * position and per-project ranges, so a page is a forward scan from the marker: no sorting per request,
 * even with 100,000 instances.
 *
 * <p>Build one by hand with {@link #builder()}, or generate a realistic one with
 * {@link #generate(long, int, int, Instant, Instant)}.
 */
public final class SimCloud {
    private static final Comparator<SimInstance> NOVA_ORDER =
            Comparator.comparing(SimInstance::projectId).thenComparing(SimInstance::uuid);

    private final List<SimProject> projects;
    private final Map<String, SimProject> projectsById;
    private final SimInstance[] instances;
    private final Map<String, Integer> positionByUuid;
    private final List<SimResize> resizes;
    private final Map<String, List<SimResize>> resizesByUuid;
    private final List<SimAction> actions;
    private final Map<String, List<SimAction>> actionsByUuid;

    private SimCloud(Map<String, SimProject> projects, List<SimInstance> instances, List<SimResize> resizes) {
        this(projects, instances, resizes, List.of());
    }

    private SimCloud(Map<String, SimProject> projects, List<SimInstance> instances, List<SimResize> resizes,
            List<SimAction> actions) {
        this.projectsById = Collections.unmodifiableMap(new LinkedHashMap<>(projects));
        List<SimProject> sortedProjects = new ArrayList<>(projects.values());
        sortedProjects.sort(Comparator.comparing(SimProject::id));
        this.projects = List.copyOf(sortedProjects);
        this.instances = instances.toArray(new SimInstance[0]);
        Arrays.sort(this.instances, NOVA_ORDER);
        this.positionByUuid = new HashMap<>(this.instances.length * 2);
        for (int i = 0; i < this.instances.length; i++) {
            SimInstance instance = this.instances[i];
            if (!projectsById.containsKey(instance.projectId())) {
                throw new IllegalArgumentException("instance " + instance.uuid() + " belongs to project "
                        + instance.projectId() + ", which the cloud does not have: add the project first");
            }
            if (positionByUuid.put(instance.uuid(), i) != null) {
                throw new IllegalArgumentException("instance uuid " + instance.uuid() + " appears twice");
            }
        }
        this.resizes = List.copyOf(resizes);
        this.resizesByUuid = new HashMap<>();
        for (SimResize resize : this.resizes) {
            resizesByUuid.computeIfAbsent(resize.instanceUuid(), uuid -> new ArrayList<>()).add(resize);
        }
        resizesByUuid.values().forEach(list -> list.sort(Comparator.comparing(SimResize::at)));
        this.actions = List.copyOf(actions);
        this.actionsByUuid = new HashMap<>();
        for (SimAction action : this.actions) {
            if (!positionByUuid.containsKey(action.instanceUuid())) {
                throw new IllegalArgumentException("action " + action.requestId() + " of instance "
                        + action.instanceUuid() + ", which the cloud does not have: add the instance first");
            }
            actionsByUuid.computeIfAbsent(action.instanceUuid(), uuid -> new ArrayList<>()).add(action);
        }
        actionsByUuid.values().forEach(list -> list.sort(Comparator.comparing(SimAction::start)
                .thenComparing(SimAction::requestId)));
    }

    /** A builder for a hand-made cloud (exact tests). */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A deterministic, realistic cloud: the same arguments always give the same cloud. See
     * {@link CloudGenerator} for what it contains (lifetimes before, inside, across and after
     * {@code [from, to)}, deletions, resizes with {@code launched_at} reset, never-launched servers,
     * odd names, microsecond launch times, the open set of states).
     *
     * @param seed      the random seed
     * @param projects  how many projects (at least 1)
     * @param servers   how many instances in total (spread unevenly over the projects)
     * @param from      start of the window the lifetimes are arranged around
     * @param to        end of that window (after {@code from})
     */
    public static SimCloud generate(long seed, int projects, int servers, Instant from, Instant to) {
        return new CloudGenerator(seed, from, to).generate(projects, servers);
    }

    /** A builder holding this cloud's content, to derive a changed cloud. */
    public Builder toBuilder() {
        Builder builder = new Builder();
        projects.forEach(builder::project);
        builder.instances.addAll(Arrays.asList(instances));
        builder.resizes.addAll(resizes);
        builder.actions.addAll(actions);
        return builder;
    }

    /** This cloud with more instance actions (e.g. what happened to some servers since a run). */
    public SimCloud withActions(List<SimAction> more) {
        Builder builder = toBuilder();
        more.forEach(builder::action);
        return builder.build();
    }

    /**
     * This cloud after resizing one instance at {@code at}: the instance gets {@code flavor} and
     * {@code launched_at = at} (as Nova's {@code _finish_resize} does), and the resize is recorded.
     */
    public SimCloud resized(String uuid, Instant at, SimFlavor flavor) {
        SimInstance old = instance(uuid).orElseThrow(
                () -> new IllegalArgumentException("no instance " + uuid + " to resize"));
        Builder builder = new Builder();
        projects.forEach(builder::project);
        for (SimInstance instance : instances) {
            builder.instance(instance.uuid().equals(uuid)
                    ? new SimInstance(uuid, old.name(), old.projectId(), flavor, at, old.terminatedAt(),
                            old.vmState())
                    : instance);
        }
        builder.resizes.addAll(resizes);
        builder.actions.addAll(actions);
        builder.resize(new SimResize(uuid, at, old.launchedAt() == null ? at : old.launchedAt(),
                old.flavor(), flavor));
        return builder.build();
    }

    /** Projects sorted by id. */
    public List<SimProject> projects() {
        return projects;
    }

    public Optional<SimProject> project(String id) {
        return Optional.ofNullable(projectsById.get(id));
    }

    /** All instances in Nova's order (project id, uuid). */
    public List<SimInstance> instances() {
        return Collections.unmodifiableList(Arrays.asList(instances));
    }

    public Optional<SimInstance> instance(String uuid) {
        Integer position = positionByUuid.get(uuid);
        return position == null ? Optional.empty() : Optional.of(instances[position]);
    }

    /** The resizes that happened, in the order they were recorded. */
    public List<SimResize> resizes() {
        return resizes;
    }

    /** Every instance action of the cloud (its whole history, also what lies after any "now"). */
    public List<SimAction> actions() {
        return actions;
    }

    /** The instance's actions, oldest first (its whole history). */
    public List<SimAction> actions(String uuid) {
        return actionsByUuid.getOrDefault(uuid, List.of());
    }

    /** The instance's actions that exist at {@code now}, oldest first. */
    List<SimAction> actionsAsOf(String uuid, Instant now) {
        List<SimAction> all = actions(uuid);
        int visible = 0;
        while (visible < all.size() && all.get(visible).visibleAt(now)) {
            visible++;
        }
        return all.subList(0, visible);
    }

    /**
     * When the server was created: its first action, else its launch; null for a hand-made server with neither
     * (it then exists at every "now").
     */
    Instant createdAt(SimInstance instance) {
        List<SimAction> all = actions(instance.uuid());
        return all.isEmpty() ? instance.launchedAt() : all.get(0).start();
    }

    /** Whether the server exists (or existed) at {@code now}. */
    boolean existsAt(SimInstance instance, Instant now) {
        Instant created = createdAt(instance);
        return created == null || !created.isAfter(now);
    }

    /**
     * Nova's {@code updated_at} of the server at {@code now}: the latest of its launch, its deletion and its
     * actions' updates up to now (every state change touches it).
     */
    Instant updatedAt(SimInstance asOfNow, Instant now) {
        Instant updated = createdAt(asOfNow);
        if (asOfNow.launchedAt() != null && !asOfNow.launchedAt().isAfter(now)
                && (updated == null || asOfNow.launchedAt().isAfter(updated))) {
            updated = asOfNow.launchedAt();
        }
        if (asOfNow.terminatedAt() != null && !asOfNow.terminatedAt().isAfter(now)
                && (updated == null || asOfNow.terminatedAt().isAfter(updated))) {
            updated = asOfNow.terminatedAt();
        }
        for (SimAction action : actionsAsOf(asOfNow.uuid(), now)) {
            Instant at = action.updatedAsOf(now);
            if (updated == null || at.isAfter(updated)) {
                updated = at;
            }
        }
        return updated;
    }

    int size() {
        return instances.length;
    }

    SimInstance at(int position) {
        return instances[position];
    }

    /**
     * The instance at {@code position} as Nova sees it at {@code now}: the cloud is a whole timeline, and a
     * deletion or a resize that lies after {@code now} has not happened yet (no {@code terminated_at}; the
     * launch and flavor from before the resize).
     */
    SimInstance asOf(int position, Instant now) {
        SimInstance instance = instances[position];
        Instant launched = instance.launchedAt();
        SimFlavor flavor = instance.flavor();
        for (SimResize resize : resizesByUuid.getOrDefault(instance.uuid(), List.of())) {
            if (resize.at().isAfter(now)) {
                launched = resize.launchedBefore();
                flavor = resize.from();
                break;
            }
        }
        boolean deletedLater = instance.terminatedAt() != null && instance.terminatedAt().isAfter(now);
        if (!deletedLater && launched == instance.launchedAt()) {
            return instance;
        }
        return new SimInstance(instance.uuid(), instance.name(), instance.projectId(), flavor, launched,
                deletedLater ? null : instance.terminatedAt(),
                deletedLater && "deleted".equals(instance.vmState()) ? "active" : instance.vmState());
    }

    /** Position of the instance in Nova's order, or -1 when there is no such instance. */
    int positionOf(String uuid) {
        Integer position = positionByUuid.get(uuid);
        return position == null ? -1 : position;
    }

    /** First position whose project id is {@code >= projectId} (the project's first instance, if any). */
    int firstPositionOf(String projectId) {
        int low = 0;
        int high = instances.length;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (instances[middle].projectId().compareTo(projectId) < 0) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    /** Position just after the project's last instance. */
    int endPositionOf(String projectId) {
        int low = firstPositionOf(projectId);
        int high = instances.length;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (instances[middle].projectId().equals(projectId)) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    /** Collects projects, instances and resizes; {@link #build()} checks and indexes them. */
    public static final class Builder {
        private final Map<String, SimProject> projects = new LinkedHashMap<>();
        private final List<SimInstance> instances = new ArrayList<>();
        private final List<SimResize> resizes = new ArrayList<>();
        private final List<SimAction> actions = new ArrayList<>();

        private Builder() {
        }

        public Builder project(SimProject project) {
            Objects.requireNonNull(project, "project");
            if (projects.putIfAbsent(project.id(), project) != null) {
                throw new IllegalArgumentException("project " + project.id() + " added twice");
            }
            return this;
        }

        public Builder project(String id, String name) {
            return project(new SimProject(id, name));
        }

        public Builder instance(SimInstance instance) {
            instances.add(Objects.requireNonNull(instance, "instance"));
            return this;
        }

        /** Records a resize (history only: add the instance as it is after the resize). */
        public Builder resize(SimResize resize) {
            resizes.add(Objects.requireNonNull(resize, "resize"));
            return this;
        }

        /** Records an instance action (history: the instance shows its result already). */
        public Builder action(SimAction action) {
            actions.add(Objects.requireNonNull(action, "action"));
            return this;
        }

        public SimCloud build() {
            return new SimCloud(projects, instances, resizes, actions);
        }
    }
}
