package dev.scimflow.scim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ScimExceptionTest {

    @Test
    void errorBodyCarriesStatusAsAStringWithScimTypeAndDetail() {
        var body = ScimException.uniqueness("userName is taken").toJson();

        assertThat(body.get("schemas").get(0).asString()).isEqualTo(ScimSchemas.ERROR);
        assertThat(body.get("status").isString()).isTrue();
        assertThat(body.get("status").asString()).isEqualTo("409");
        assertThat(body.get("scimType").asString()).isEqualTo("uniqueness");
        assertThat(body.get("detail").asString()).isEqualTo("userName is taken");
    }

    @Test
    void errorBodyOmitsScimTypeWhenThereIsNone() {
        var body = ScimException.notFound("No such user").toJson();

        assertThat(body.has("scimType")).isFalse();
        assertThat(body.get("status").asString()).isEqualTo("404");
    }

    static Stream<Arguments> factories() {
        return Stream.of(
                Arguments.of((Function<String, ScimException>) ScimException::invalidValue, 400, "invalidValue"),
                Arguments.of((Function<String, ScimException>) ScimException::invalidSyntax, 400, "invalidSyntax"),
                Arguments.of((Function<String, ScimException>) ScimException::invalidPath, 400, "invalidPath"),
                Arguments.of((Function<String, ScimException>) ScimException::invalidFilter, 400, "invalidFilter"),
                Arguments.of((Function<String, ScimException>) ScimException::noTarget, 400, "noTarget"),
                Arguments.of((Function<String, ScimException>) ScimException::mutability, 400, "mutability"),
                Arguments.of((Function<String, ScimException>) ScimException::tooMany, 400, "tooMany"),
                Arguments.of((Function<String, ScimException>) ScimException::uniqueness, 409, "uniqueness"),
                Arguments.of((Function<String, ScimException>) ScimException::notFound, 404, null),
                Arguments.of((Function<String, ScimException>) ScimException::preconditionFailed, 412, null),
                Arguments.of((Function<String, ScimException>) ScimException::notImplemented, 501, null),
                Arguments.of((Function<String, ScimException>) ScimException::payloadTooLarge, 413, null));
    }

    @ParameterizedTest
    @MethodSource("factories")
    void eachFactoryMapsToItsRfc7644StatusAndScimType(Function<String, ScimException> factory, int status, String scimType) {
        ScimException error = factory.apply("detail");

        assertThat(error.status()).isEqualTo(status);
        assertThat(error.scimType()).isEqualTo(scimType);
        assertThat(error.detail()).isEqualTo("detail");
        assertThat(error.getMessage()).isEqualTo("detail");
    }
}
