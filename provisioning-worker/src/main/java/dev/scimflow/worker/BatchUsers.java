package dev.scimflow.worker;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.scimflow.store.StoredUser;
import dev.scimflow.store.UserKey;
import dev.scimflow.store.Users;
import dev.scimflow.store.Users.UserName;
import dev.scimflow.store.Users.UserNameHolder;

/**
 * The users a batch of changes reads and writes, inside the batch's transaction: read and locked in one query before
 * the first change applies, changed here as each change applies (so a later change of the batch sees what an earlier
 * one did), and written back in one statement per kind at {@link #flush}. The userNames the batch's creates and
 * replaces send are looked up in one query too, so that uniqueness is checked here without a query per change; the
 * unique index still guards the flush, and a batch that breaks it rolls back and is applied again one change at a
 * time.
 */
final class BatchUsers {

    private final Users users;
    /** Every user the batch has read or made; an empty value is a key known to have no user. */
    private final Map<UserKey, Optional<StoredUser>> current = new HashMap<>();
    /** The version each user had in the store when read (and locked); absent for users this batch created. */
    private final Map<UserKey, Long> storedVersions = new HashMap<>();
    /** Users changed since the last flush, in the order first changed. */
    private final Map<UserKey, StoredUser> changed = new LinkedHashMap<>();
    /** The database's case folding of each userName seen, by tenant and name as sent. */
    private final Map<UserName, String> folded = new HashMap<>();
    /** Who holds each folded userName (by tenant and folded name); an empty value is a free name. */
    private final Map<UserName, Optional<String>> holders = new HashMap<>();

    BatchUsers(Users users) {
        this.users = users;
    }

    /** Reads and locks these users, and looks up who holds these userNames, each in one query. */
    void load(Collection<UserKey> keys, Collection<UserName> userNames) {
        List<UserKey> unread = keys.stream().filter(key -> !current.containsKey(key)).distinct().toList();
        Map<UserKey, StoredUser> found = users.lockAll(unread);
        for (UserKey key : unread) {
            StoredUser user = found.get(key);
            current.put(key, Optional.ofNullable(user));
            if (user != null) {
                storedVersions.put(key, user.version());
            }
        }
        lookUp(userNames.stream().filter(name -> name.userName() != null && !folded.containsKey(name)).distinct().toList());
    }

    Optional<StoredUser> find(UserKey key) {
        Optional<StoredUser> user = current.get(key);
        if (user == null) {
            load(List.of(key), List.of());
            user = current.get(key);
        }
        return user;
    }

    /** True when a user other than {@code exceptId} holds this userName (case-insensitively, as the store compares). */
    boolean userNameTaken(String tenant, String userName, String exceptId) {
        Optional<String> holder = holders.get(holderKey(tenant, userName));
        return holder.isPresent() && !holder.get().equals(exceptId);
    }

    /** A user created by the batch. */
    void created(StoredUser user) {
        current.put(user.key(), Optional.of(user));
        changed.put(user.key(), user);
        hold(user.tenant(), user.userName(), user.id());
    }

    /** The next version of a user the batch read or created. */
    void updated(StoredUser before, StoredUser after) {
        current.put(after.key(), Optional.of(after));
        changed.put(after.key(), after);
        if (!before.userName().equals(after.userName())) {
            release(before.tenant(), before.userName(), before.id());
            hold(after.tenant(), after.userName(), after.id());
        }
    }

    /** A user the store no longer has (deleted directly, after a {@link #flush}). */
    void deleted(StoredUser user) {
        current.put(user.key(), Optional.empty());
        storedVersions.remove(user.key());
        release(user.tenant(), user.userName(), user.id());
    }

    /**
     * Writes every change since the last flush: updates first (a name freed by a rename can then be taken by a create
     * of the same batch), then inserts.
     */
    void flush() {
        if (changed.isEmpty()) {
            return;
        }
        List<StoredUser> updates = new ArrayList<>();
        List<Long> readVersions = new ArrayList<>();
        List<StoredUser> inserts = new ArrayList<>();
        for (StoredUser user : changed.values()) {
            Long stored = storedVersions.get(user.key());
            if (stored == null) {
                inserts.add(user);
            } else {
                updates.add(user);
                readVersions.add(stored);
            }
        }
        users.updateAll(updates, readVersions);
        users.insertAll(inserts);
        changed.values().forEach(user -> storedVersions.put(user.key(), user.version()));
        changed.clear();
    }

    private void hold(String tenant, String userName, String id) {
        holders.put(holderKey(tenant, userName), Optional.of(id));
    }

    private void release(String tenant, String userName, String id) {
        UserName key = holderKey(tenant, userName);
        if (holders.getOrDefault(key, Optional.empty()).filter(id::equals).isPresent()) {
            holders.put(key, Optional.empty());
        }
    }

    /** The tenant and the folded form of a userName, looked up in the store when the batch has not seen it yet. */
    private UserName holderKey(String tenant, String userName) {
        UserName name = new UserName(tenant, userName);
        if (!folded.containsKey(name)) {
            lookUp(List.of(name));
        }
        return new UserName(tenant, folded.get(name));
    }

    private void lookUp(List<UserName> names) {
        for (UserNameHolder holder : users.userNameHolders(names)) {
            folded.put(holder.name(), holder.folded());
            // what the batch already knows of a folded name is newer than the store's committed state
            holders.putIfAbsent(new UserName(holder.name().tenant(), holder.folded()), Optional.ofNullable(holder.holderId()));
        }
    }
}
