package org.osmetrics.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.osmetrics.OsMetricsException;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Finds and reads a cloud entry of {@code clouds.yaml} (merged with {@code secure.yaml}, where the OpenStack
 * client lets users keep passwords apart), searching where the OpenStack client searches.
 */
final class CloudsYaml {

    private static final YAMLMapper YAML = new YAMLMapper();

    /** One cloud entry and the file it came from. */
    record CloudEntry(String name, Path file, JsonNode entry) {

        /** The scalar at a dotted path ({@code auth.auth_url}), if present and not blank. */
        Optional<String> value(String dottedPath) {
            JsonNode node = entry;
            for (String part : dottedPath.split("\\.")) {
                node = node == null ? null : node.get(part);
            }
            if (node == null || node.isNull() || node.isContainerNode() || node.asText().isBlank()) {
                return Optional.empty();
            }
            return Optional.of(node.asText().trim());
        }
    }

    private CloudsYaml() {
    }

    /**
     * The files the OpenStack client searches for {@code name} ({@code clouds.yaml} or {@code secure.yaml}),
     * in order: the working directory, {@code ~/.config/openstack}, {@code /etc/openstack}.
     */
    static List<Path> standardLocations(String name, Map<String, String> environment, Path workingDirectory) {
        List<Path> locations = new ArrayList<>();
        locations.add(workingDirectory.resolve(name));
        String home = environment.getOrDefault("HOME", System.getProperty("user.home"));
        if (home != null && !home.isBlank()) {
            locations.add(Path.of(home, ".config", "openstack", name));
        }
        locations.add(Path.of("/etc/openstack", name));
        return locations;
    }

    /**
     * Reads cloud {@code cloudName} from the first existing file of {@code cloudsFiles}, merged with its
     * entry in the first existing file of {@code secureFiles} (secure.yaml values win, as in the OpenStack client).
     */
    static CloudEntry read(String cloudName, List<Path> cloudsFiles, List<Path> secureFiles) {
        Path cloudsFile = cloudsFiles.stream().filter(Files::isRegularFile).findFirst()
                .orElseThrow(() -> OsMetricsException.config("OS_CLOUD is '" + cloudName
                        + "' but no clouds.yaml was found (searched " + cloudsFiles
                        + "): create one, pass --os-config-file, or unset OS_CLOUD"));
        JsonNode clouds = cloudsOf(cloudsFile);
        JsonNode entry = clouds.get(cloudName);
        if (entry == null || !entry.isObject()) {
            throw OsMetricsException.config("cloud '" + cloudName + "' is not in " + cloudsFile + " (it has: "
                    + String.join(", ", new TreeSet<String>(toList(clouds.fieldNames()))) + "): check OS_CLOUD or --os-cloud");
        }
        ObjectNode merged = ((ObjectNode) entry).deepCopy();
        Optional<Path> secureFile = secureFiles.stream().filter(Files::isRegularFile).findFirst();
        if (secureFile.isPresent()) {
            JsonNode secure = cloudsOf(secureFile.get()).get(cloudName);
            if (secure != null && secure.isObject()) {
                deepMerge(merged, (ObjectNode) secure);
            }
        }
        return new CloudEntry(cloudName, cloudsFile, merged);
    }

    private static JsonNode cloudsOf(Path file) {
        JsonNode root;
        try {
            root = YAML.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            // The cause is dropped on purpose: YAML parser messages quote the offending line, which may
            // hold a password, and --debug prints causes.
            throw OsMetricsException.config(file + " is not valid YAML" + where(e)
                    + ": fix the file (it must hold 'clouds:' with one entry per cloud)");
        } catch (IOException e) {
            throw OsMetricsException.config("cannot read " + file + ": " + e.getMessage());
        }
        JsonNode clouds = root == null ? null : root.get("clouds");
        if (clouds == null || !clouds.isObject()) {
            throw OsMetricsException.config(file + " has no 'clouds:' mapping at the top level: see the README's "
                    + "clouds.yaml example");
        }
        return clouds;
    }

    private static String where(JsonProcessingException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
                return " at line " + (marked.getProblemMark().getLine() + 1) + ", column "
                        + (marked.getProblemMark().getColumn() + 1) + " (" + marked.getProblem() + ")";
            }
        }
        return e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
    }

    private static void deepMerge(ObjectNode target, ObjectNode source) {
        source.fields().forEachRemaining(field -> {
            JsonNode existing = target.get(field.getKey());
            if (existing instanceof ObjectNode existingObject && field.getValue() instanceof ObjectNode sourceObject) {
                deepMerge(existingObject, sourceObject);
            } else {
                target.set(field.getKey(), field.getValue());
            }
        });
    }

    private static List<String> toList(Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }
}
