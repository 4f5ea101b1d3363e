package dev.scimflow.audit.page;

import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

import dev.scimflow.audit.api.DeactivationDetail;
import dev.scimflow.events.EventCodec;
import tools.jackson.databind.JsonNode;

/**
 * What the detail page shows beyond the record's fields: the snapshots before and after as indented JSON, and
 * the names of the top-level attributes the change touched.
 */
record DeactivationView(String before, String after, List<String> changedAttributes) {

    static DeactivationView of(DeactivationDetail record) {
        return new DeactivationView(pretty(record.before()), pretty(record.after()),
                changedAttributes(record.before(), record.after()));
    }

    private static String pretty(JsonNode snapshot) {
        return snapshot == null ? null : EventCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(snapshot);
    }

    private static List<String> changedAttributes(JsonNode before, JsonNode after) {
        if (before == null || after == null) {
            return List.of();
        }
        TreeSet<String> names = new TreeSet<>(before.propertyNames());
        names.addAll(after.propertyNames());
        names.remove("meta");
        return names.stream().filter(name -> !Objects.equals(before.get(name), after.get(name))).toList();
    }
}
