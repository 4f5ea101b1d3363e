package dev.scimflow.worker;

import dev.scimflow.store.Users;

/**
 * What the changes of one batch share inside its transaction: the users they read and write ({@link BatchUsers}) and
 * the facts they make ({@link OutboxEvents}).
 */
final class ChangeBatch {

    private final BatchUsers users;
    private final OutboxEvents facts = new OutboxEvents();

    ChangeBatch(Users users) {
        this.users = new BatchUsers(users);
    }

    BatchUsers users() {
        return users;
    }

    OutboxEvents facts() {
        return facts;
    }
}
