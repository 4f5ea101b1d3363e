package dev.scimflow.ingress;

import jakarta.servlet.http.HttpServletRequest;

/** Which requests are SCIM requests: those under {@code /scim/}, not the actuator's or the error page's. */
public final class ScimPaths {

    private ScimPaths() {
    }

    public static boolean isScim(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String contextPath = request.getContextPath();
        return uri.startsWith(contextPath) && uri.startsWith("/scim/", contextPath.length());
    }
}
