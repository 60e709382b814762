package com.example.gsping.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.serde.annotation.Serdeable;

/** Body of {@code GET /health}: {@code {"Status":"OK"}}, capitalised like the Go struct field. */
@Serdeable
public record HealthStatus(@JsonProperty("Status") String status) {
}
