package com.example.gsping.images;

import io.micronaut.json.tree.JsonNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@link SecretRules} over a whole image tarball: every file of every layer (a file that a later layer deletes is
 * still shipped in the lower layer's blob) and every string of the config (env, labels, entrypoint, cmd, user,
 * working dir, history).
 */
final class SecretScan {

    /** One broken rule: where (layer and path, or config field) and which rule. */
    record Finding(String where, String rule) {
        @Override
        public String toString() {
            return where + ": " + rule;
        }
    }

    /** What was scanned and found; {@code allowlisted}: files on an allowlist that passed its content check. */
    record Report(List<Finding> findings, int filesScanned, int layers, List<String> allowlisted) {
    }

    private SecretScan() {
    }

    static Report of(ImageTarball image) throws IOException {
        List<Finding> findings = new ArrayList<>();
        List<String> allowlisted = new ArrayList<>();
        int[] files = {0};
        ImageTarball.Layers layers = image.readLayers(SecretRules::needsContent, (file, content) -> {
            files[0]++;
            SecretRules.ContentSignals signals = SecretRules.inspect(content);
            String where = "layer " + file.layer() + " " + file.path();
            List<String> broken = SecretRules.fileRules(file.path(), signals, file.content());
            broken.forEach(rule -> findings.add(new Finding(where, rule)));
            if (broken.isEmpty() && SecretRules.isAllowlisted(file.path())) {
                allowlisted.add(where);
            }
        });
        scanConfig(image.config(), findings);
        return new Report(findings, files[0], layers.layers().size(), allowlisted);
    }

    private static void scanConfig(JsonNode config, List<Finding> findings) {
        JsonNode run = config.get("config");
        if (run != null && !run.isNull()) {
            for (String field : List.of("Env", "Entrypoint", "Cmd")) {
                List<String> values = Json.strings(run.get(field));
                for (int i = 0; i < values.size(); i++) {
                    check("config " + field + "[" + i + "]", values.get(i), findings);
                }
            }
            for (String field : List.of("User", "WorkingDir")) {
                JsonNode value = run.get(field);
                if (value != null && value.isString()) {
                    check("config " + field, value.getStringValue(), findings);
                }
            }
            for (Map.Entry<String, String> label : Json.stringMap(run.get("Labels")).entrySet()) {
                check("config label " + label.getKey(), label.getKey() + "=" + label.getValue(), findings);
            }
        }
        JsonNode history = config.get("history");
        if (history != null && !history.isNull()) {
            int i = 0;
            for (JsonNode entry : history.values()) {
                for (String field : List.of("created_by", "comment", "author")) {
                    JsonNode value = entry.get(field);
                    if (value != null && value.isString()) {
                        check("config history[" + i + "]." + field, value.getStringValue(), findings);
                    }
                }
                i++;
            }
        }
    }

    private static void check(String where, String text, List<Finding> findings) {
        SecretRules.textRules(text).forEach(rule -> findings.add(new Finding(where, rule)));
    }
}
