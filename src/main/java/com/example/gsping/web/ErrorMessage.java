package com.example.gsping.web;

import io.micronaut.serde.annotation.Serdeable;

/** Every error body, echo's shape: {@code {"message":"Not Found"}}. */
@Serdeable
public record ErrorMessage(String message) {
}
