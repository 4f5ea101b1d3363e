package dev.scimflow.audit.page;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

import jakarta.servlet.http.HttpServletResponse;

/** A 303 See Other to a path of this service: after a form post the browser follows it with a GET. */
final class Redirects {

    private Redirects() {
    }

    /** Sets the redirect and returns no view. */
    static String seeOther(HttpServletResponse response, String path) {
        response.setStatus(HttpStatus.SEE_OTHER.value());
        response.setHeader(HttpHeaders.LOCATION, path);
        return null;
    }
}
