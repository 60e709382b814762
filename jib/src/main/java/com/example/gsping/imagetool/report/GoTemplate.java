package com.example.gsping.imagetool.report;

import com.example.gsping.imagetool.ImageToolException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of Go's text/template that docker's {@code --format} strings use on one value:
 * {@code {{.Field.Path}}}, {@code {{json .Path}}}, {@code {{join .Path "SEP"}}} and
 * {@code {{index .Path "KEY"}}}, with Go's escapes in the quoted argument ({@code \n}, {@code \t}).
 * Values print as Go's fmt prints them: a list as {@code [a b]}, a map as {@code map[k:v]}.
 */
public final class GoTemplate {
  private static final Pattern ACTION = Pattern.compile("\\{\\{(.*?)}}");
  private static final Pattern CALL =
      Pattern.compile("\\s*(?:(json|join|index)\\s+)?(\\.[A-Za-z0-9_.]*)\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\")?\\s*");

  private final List<Object> parts = new ArrayList<>(); // text (String) and actions (Action), in order

  private record Action(String function, String path, String argument) {}

  public GoTemplate(String text) {
    Matcher m = ACTION.matcher(text);
    int at = 0;
    while (m.find()) {
      parts.add(text.substring(at, m.start()));
      Matcher call = CALL.matcher(m.group(1));
      if (!call.matches() || (call.group(1) != null && !call.group(1).equals("json")) != (call.group(3) != null)) {
        throw new ImageToolException("template: cannot read " + m.group() + ": write {{.Field}}, {{json .Field}},"
            + " {{join .Field \"SEP\"}} or {{index .Field \"KEY\"}}");
      }
      parts.add(new Action(call.group(1), call.group(2), call.group(3) == null ? null : unescape(call.group(3))));
      at = m.end();
    }
    parts.add(text.substring(at));
  }

  public String render(JsonNode data) {
    StringBuilder out = new StringBuilder();
    for (Object part : parts) {
      if (part instanceof Action a) {
        JsonNode value = data;
        for (String field : a.path().substring(1).split("\\.")) {
          if (!field.isEmpty()) {
            value = value == null ? null : value.get(field);
          }
        }
        out.append(apply(a, value));
      } else {
        out.append(part);
      }
    }
    return out.toString();
  }

  private static String apply(Action a, JsonNode value) {
    if (a.function() == null) {
      return print(value);
    }
    return switch (a.function()) {
      case "json" -> value == null ? "null" : value.toString();
      case "join" -> {
        List<String> items = new ArrayList<>();
        if (value != null) {
          value.forEach(item -> items.add(print(item)));
        }
        yield String.join(a.argument(), items);
      }
      default -> value == null || value.get(a.argument()) == null ? "" : print(value.get(a.argument()));
    };
  }

  private static String print(JsonNode value) {
    if (value == null || value.isMissingNode()) {
      return "<no value>";
    }
    if (value.isArray()) {
      List<String> items = new ArrayList<>();
      value.forEach(item -> items.add(print(item)));
      return "[" + String.join(" ", items) + "]";
    }
    if (value.isObject()) {
      TreeMap<String, String> sorted = new TreeMap<>();
      value.fields().forEachRemaining(e -> sorted.put(e.getKey(), print(e.getValue())));
      List<String> items = new ArrayList<>();
      sorted.forEach((k, v) -> items.add(k + ":" + v));
      return "map[" + String.join(" ", items) + "]";
    }
    return value.isNull() ? "<nil>" : value.asText();
  }

  private static String unescape(String quoted) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < quoted.length(); i++) {
      char c = quoted.charAt(i);
      if (c == '\\' && i + 1 < quoted.length()) {
        char next = quoted.charAt(++i);
        out.append(switch (next) {
          case 'n' -> '\n';
          case 't' -> '\t';
          default -> next;
        });
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
