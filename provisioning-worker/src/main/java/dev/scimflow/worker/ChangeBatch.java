package dev.scimflow.worker;

import dev.scimflow.store.Users;

/**
 * What the changes of one batch share inside its transaction: the users they read and write ({@link BatchUsers}) and
 * the facts they make ({@link Facts}).
 */
final class ChangeBatch {

    private final BatchUsers users;
    private final Facts facts = new Facts();

    ChangeBatch(Users users) {
        this.users = new BatchUsers(users);
    }

    BatchUsers users() {
        return users;
    }

    Facts facts() {
        return facts;
    }
}
