package com.example.gsping.imagetool.report;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Columns laid out like the docker CLI's tables, which use Go's text/tabwriter with
 * minwidth 10, padding 3: every column but the last is as wide as its widest cell plus 3,
 * and at least 10; the last column is not padded.
 */
public final class TextTable {
  private static final int MIN_WIDTH = 10;
  private static final int PADDING = 3;

  private final List<List<String>> rows = new ArrayList<>();

  public TextTable(String... header) {
    rows.add(List.of(header));
  }

  public TextTable row(String... cells) {
    rows.add(List.of(cells));
    return this;
  }

  public void print(PrintWriter out) {
    int columns = rows.get(0).size();
    int[] width = new int[columns];
    for (List<String> row : rows) {
      for (int c = 0; c < columns - 1; c++) {
        width[c] = Math.max(width[c], Math.max(row.get(c).length() + PADDING, MIN_WIDTH));
      }
    }
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < columns; c++) {
        String cell = row.get(c);
        line.append(cell);
        if (c < columns - 1) {
          line.append(" ".repeat(width[c] - cell.length()));
        }
      }
      out.println(line);
    }
  }
}
