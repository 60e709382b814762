package com.example.gsping.imagetool.files;

import java.util.List;

/**
 * What one layer tar says, in its order: the paths it deletes from the layers below (whiteouts
 * {@code .wh.NAME}), the directories whose lower contents it hides (opaque {@code .wh..wh..opq}),
 * and the entries it adds.
 */
public record LayerFiles(List<String> whiteouts, List<String> opaqueDirs, List<FileEntry> entries) {}
