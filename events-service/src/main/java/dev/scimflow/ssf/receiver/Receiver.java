package dev.scimflow.ssf.receiver;

import jakarta.servlet.http.HttpServletRequest;

/** Who is calling: a receiver of one tenant, known by the id of the SCIM token it authenticated with. */
public record Receiver(String tenant, String tokenId) {

    static final String ATTRIBUTE = Receiver.class.getName();

    /** The receiver {@link ReceiverAuthentication} bound to this request. */
    public static Receiver of(HttpServletRequest request) {
        return (Receiver) request.getAttribute(ATTRIBUTE);
    }
}
