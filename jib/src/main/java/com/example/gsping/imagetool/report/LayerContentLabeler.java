package com.example.gsping.imagetool.report;

import com.example.gsping.imagetool.image.ImageConfig;
import com.example.gsping.imagetool.image.ImageConfig.HistoryEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * Says what each layer holds, from the image config's own history. Jib writes one history
 * entry per layer it adds, author "Jib", created_by "jib-maven-plugin:VERSION" (or jib-core,
 * jib-gradle-plugin, jib-cli), and the layer's name as comment: "dependencies",
 * "snapshot dependencies", "project dependencies", "resources", "classes", "jvm arg files",
 * "extra files". The base image's entries come first. So: the trailing run of Jib entries are
 * application layers named by their comment; every layer before them is "base".
 */
public final class LayerContentLabeler {
  private LayerContentLabeler() {}

  /** What one layer holds, and the history entry that made it (if the history says). */
  public record LayerOrigin(String content, String createdBy, String created, String comment) {}

  public static List<LayerOrigin> label(ImageConfig config, int layerCount) {
    List<HistoryEntry> layerEntries = new ArrayList<>();
    for (HistoryEntry h : config.historyOrEmpty()) {
      if (h.makesLayer()) {
        layerEntries.add(h);
      }
    }
    List<LayerOrigin> out = new ArrayList<>();
    if (layerEntries.size() != layerCount) {
      // History does not line up with the layers (squashed or hand-made image): say nothing.
      for (int i = 0; i < layerCount; i++) {
        out.add(new LayerOrigin("unknown", null, null, null));
      }
      return out;
    }
    int firstApplication = layerCount;
    while (firstApplication > 0 && isJib(layerEntries.get(firstApplication - 1))) {
      firstApplication--;
    }
    for (int i = 0; i < layerCount; i++) {
      HistoryEntry h = layerEntries.get(i);
      String content;
      if (i >= firstApplication) {
        content = h.comment() == null || h.comment().isBlank() ? "application" : h.comment();
      } else {
        content = "base";
      }
      out.add(new LayerOrigin(content, h.createdBy(), h.created(), h.comment()));
    }
    return out;
  }

  static boolean isJib(HistoryEntry h) {
    return "Jib".equals(h.author()) && h.createdBy() != null && h.createdBy().startsWith("jib-");
  }
}
