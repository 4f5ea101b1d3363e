package dev.scimflow.audit.api;

import java.util.List;

/** A page of the audit log, newest first. */
public record DeactivationPage(List<Deactivation> items, int count) {

    static DeactivationPage of(List<Deactivation> items) {
        return new DeactivationPage(items, items.size());
    }
}
