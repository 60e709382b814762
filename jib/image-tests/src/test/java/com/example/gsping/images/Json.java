package com.example.gsping.images;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON through Micronaut's own mapper (serde), and the sha256 digests images are addressed by. */
final class Json {

    private static final JsonMapper MAPPER = JsonMapper.createDefault();

    private Json() {
    }

    static JsonNode parse(byte[] json) {
        try {
            return MAPPER.readValue(json, JsonNode.class);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + new String(json, StandardCharsets.UTF_8), e);
        }
    }

    /** The strings of a JSON array; empty for a missing or null node. */
    static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        if (array != null && !array.isNull()) {
            array.values().forEach(value -> values.add(value.getStringValue()));
        }
        return values;
    }

    /** The string members of a JSON object, in order; empty for a missing or null node. */
    static Map<String, String> stringMap(JsonNode object) {
        Map<String, String> map = new LinkedHashMap<>();
        if (object != null && !object.isNull()) {
            object.entries().forEach(entry -> map.put(entry.getKey(), entry.getValue().getStringValue()));
        }
        return map;
    }

    /** {@code sha256:<hex>} of the bytes, as image IDs, digests and diff_ids are written. */
    static String sha256(byte[] bytes) {
        return "sha256:" + HexFormat.of().formatHex(sha256Digest().digest(bytes));
    }

    static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
