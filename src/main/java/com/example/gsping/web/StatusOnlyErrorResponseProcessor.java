package com.example.gsping.web;

import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

/**
 * Writes every error as {@code {"message":"<reason phrase>"}}. Only the status's reason phrase is
 * used, never the exception or its message, so nothing internal can leak into a response; the
 * exception itself is logged by Micronaut's handler. Micronaut's default processor steps aside
 * when this bean exists.
 */
@Singleton
public class StatusOnlyErrorResponseProcessor implements ErrorResponseProcessor<ErrorMessage> {

    @Override
    public MutableHttpResponse<ErrorMessage> processResponse(ErrorContext errorContext, MutableHttpResponse<?> response) {
        return response.contentType(MediaType.APPLICATION_JSON_TYPE)
                .body(new ErrorMessage(response.status().getReason()));
    }
}
