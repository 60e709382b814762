package com.example.gsping.imagetool.image;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the documents the commands parse (index.json, manifests and indexes, image configs, tag
 * lists, token and error answers) field by field with jackson-core's streaming parser. Binding
 * them to the records with databind cost more than the rest of an {@code ls} (its ObjectMapper
 * and each record's introspection: about 100 ms of CPU in every fresh JVM); databind stays for
 * what the tool writes. As lenient as that mapper was (unknown fields skipped, a JSON null or an
 * absent field is null, or 0 for a number), and strict on types.
 */
public final class StreamingJson {
  /**
   * Above every cap the callers apply (4 MB registry documents, 16 MB tarball JSON), so those
   * name the limit; the nesting and number limits stop documents that are small but costly.
   */
  private static final StreamReadConstraints LIMITS = StreamReadConstraints.builder()
      .maxDocumentLength(16L * 1024 * 1024).maxNestingDepth(64).maxNumberLength(100).maxStringLength(16 * 1024 * 1024).build();

  private static final JsonFactory FACTORY = JsonFactory.builder().streamReadConstraints(LIMITS).build();

  /** Reads one value at the parser's current token; a JSON null is null. */
  @FunctionalInterface
  public interface ValueReader<T> {
    T read(JsonParser p) throws IOException;
  }

  /** An object field the reader of a record takes, by name. */
  public record Field<T>(String name, ValueReader<T> reader) {}

  /** The fields read from one object, each of its type; absent ones are null. */
  public static final class Fields {
    private final Map<String, Object> values = new HashMap<>();

    @SuppressWarnings("unchecked") // put only by object(), with the field's own reader
    public <T> T get(Field<T> field) {
      return (T) values.get(field.name());
    }

    public long getLong(Field<Long> field) {
      Long value = get(field);
      return value == null ? 0 : value;
    }

    public int getInt(Field<Integer> field) {
      Integer value = get(field);
      return value == null ? 0 : value;
    }
  }

  private StreamingJson() {}

  /** The document {@code json}, read by {@code reader}; null when it is a JSON null. */
  public static <T> T read(byte[] json, ValueReader<T> reader) throws IOException {
    try (JsonParser p = FACTORY.createParser(json)) {
      if (p.nextToken() == null) {
        throw new JsonParseException(p, "No content: the document is empty");
      }
      return reader.read(p);
    }
  }

  /** Reads {@code json}; what is wrong with it, or a JSON null, becomes one line about {@code what}. */
  public static <T> T parse(byte[] json, ValueReader<T> reader, String what) {
    try {
      T value = read(json, reader);
      if (value == null) {
        throw new ImageFormatException(what + " is not a JSON object (null)");
      }
      return value;
    } catch (IOException e) {
      throw new ImageFormatException(what + " is not valid JSON: " + firstLine(e));
    }
  }

  /** The first line of a Jackson message, without the source excerpt it appends. */
  public static String firstLine(Exception e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.lines().findFirst().orElse("");
  }

  /** The object at the current token, its {@code fields} read and any others skipped; null for a JSON null. */
  public static Fields object(JsonParser p, List<Field<?>> fields) throws IOException {
    if (!present(p, JsonToken.START_OBJECT, "an object")) {
      return null;
    }
    Fields out = new Fields();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      Field<?> field = find(fields, name);
      if (field == null) {
        p.skipChildren();
      } else {
        out.values.put(name, field.reader().read(p));
      }
    }
    return out;
  }

  private static Field<?> find(List<Field<?>> fields, String name) {
    for (Field<?> f : fields) {
      if (f.name().equals(name)) {
        return f;
      }
    }
    return null;
  }

  public static String string(JsonParser p) throws IOException {
    return present(p, JsonToken.VALUE_STRING, "a string") ? p.getText() : null;
  }

  public static Long longNumber(JsonParser p) throws IOException {
    return present(p, JsonToken.VALUE_NUMBER_INT, "an integer") ? p.getLongValue() : null;
  }

  public static Integer intNumber(JsonParser p) throws IOException {
    return present(p, JsonToken.VALUE_NUMBER_INT, "an integer") ? p.getIntValue() : null;
  }

  public static Boolean bool(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
      throw new JsonParseException(p, "expected a boolean, not " + describe(t));
    }
    return t == JsonToken.VALUE_TRUE;
  }

  /** A list reader: the array at the current token, each element read by {@code element} (a JSON null element is null). */
  public static <T> ValueReader<List<T>> listOf(ValueReader<T> element) {
    return p -> {
      if (!present(p, JsonToken.START_ARRAY, "an array")) {
        return null;
      }
      List<T> out = new ArrayList<>();
      while (p.nextToken() != JsonToken.END_ARRAY) {
        out.add(element.read(p));
      }
      return out;
    };
  }

  /** An object of strings (annotations), in the document's order. */
  public static Map<String, String> stringMap(JsonParser p) throws IOException {
    if (!present(p, JsonToken.START_OBJECT, "an object")) {
      return null;
    }
    Map<String, String> out = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      out.put(name, string(p));
    }
    return out;
  }

  /** False at a JSON null; else the current token must be {@code token} ({@code what} names it in the error). */
  private static boolean present(JsonParser p, JsonToken token, String what) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return false;
    }
    if (p.currentToken() != token) {
      String field = p.currentName() == null ? "" : " for \"" + p.currentName() + "\"";
      throw new JsonParseException(p, "expected " + what + field + ", not " + describe(p.currentToken()));
    }
    return true;
  }

  private static String describe(JsonToken t) {
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      default -> t.asString() == null ? t.name() : t.asString();
    };
  }
}
