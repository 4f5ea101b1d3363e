package dev.scimflow.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** One tenant the benchmark acts for: its token, its benchmark group, and the users it knows to exist. */
public final class Tenant {

    /** A user created through the pipeline; {@code active} and {@code member} are what the benchmark last set. */
    static final class User {
        final String id;
        final String userName;
        volatile boolean active = true;
        volatile boolean member;

        User(String id, String userName) {
            this.id = id;
            this.userName = userName;
        }
    }

    final String name;
    final String token;
    volatile String groupId;
    private final List<User> users = new ArrayList<>();

    public Tenant(String name, String token) {
        this.name = name;
        this.token = token;
    }

    void add(User user) {
        synchronized (users) {
            users.add(user);
        }
    }

    int size() {
        synchronized (users) {
            return users.size();
        }
    }

    /** A random known user, or null when there is none yet. */
    User any(Random random) {
        synchronized (users) {
            return users.isEmpty() ? null : users.get(random.nextInt(users.size()));
        }
    }

    /** A random user whose {@code active} is as wanted, if one is found in a few tries; else any user. */
    User withActive(boolean active, Random random) {
        User user = null;
        for (int attempt = 0; attempt < 8; attempt++) {
            user = any(random);
            if (user == null || user.active == active) {
                return user;
            }
        }
        return user;
    }
}
