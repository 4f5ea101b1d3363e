package dev.scimflow.ssf;

import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The one place exceptions become HTTP answers: an {@link SsfException} as itself; nothing internal leaks. */
@RestControllerAdvice
class SsfErrors {

    private static final Logger log = LoggerFactory.getLogger(SsfErrors.class);

    @ExceptionHandler(SsfException.class)
    ResponseEntity<Map<String, String>> refused(SsfException e) {
        return body(e.status(), e.err(), e.getMessage());
    }

    @ExceptionHandler({HttpMessageNotReadableException.class, MissingServletRequestParameterException.class,
            IllegalArgumentException.class})
    ResponseEntity<Map<String, String>> unreadable(Exception e) {
        return body(400, "invalid_request", e instanceof MissingServletRequestParameterException missing
                ? "missing parameter " + missing.getParameterName()
                : "the request body is not valid JSON of the expected shape");
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<Map<String, String>> method(HttpRequestMethodNotSupportedException e) {
        return body(405, "invalid_request", "method not allowed");
    }

    @ExceptionHandler(DataAccessException.class)
    ResponseEntity<Map<String, String>> database(DataAccessException e) {
        log.warn("database unavailable: {}", e.getMostSpecificCause().toString());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "5")
                .contentType(MediaType.APPLICATION_JSON).body(error("temporarily_unavailable", "retry later"));
    }

    private static ResponseEntity<Map<String, String>> body(int status, String err, String description) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(error(err, description));
    }

    private static Map<String, String> error(String err, String description) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("err", err);
        body.put("description", description);
        return body;
    }
}
