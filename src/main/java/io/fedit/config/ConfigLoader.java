package io.fedit.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Builds a {@link RunConfig}: the defaults (conf/default.yaml, shipped inside the jar), then an
 * optional user YAML file merged over them, then {@code section.key=value} overrides. Unknown keys
 * and type errors are rejected with the dotted path of the key.
 */
public final class ConfigLoader {
  static final String DEFAULTS_RESOURCE = "/io/fedit/conf/default.yaml";

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
          // 8.5 for an integer setting is an error, not 8.
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
          .disable(com.fasterxml.jackson.databind.MapperFeature.ALLOW_COERCION_OF_SCALARS);

  private ConfigLoader() {}

  /** The defaults alone. */
  public static RunConfig defaults() {
    return load(null, List.of());
  }

  /** Defaults, then {@code userFile} (may be null), then each {@code key=value} override in order. */
  public static RunConfig load(Path userFile, List<String> overrides) {
    ObjectNode tree = readDefaults();
    if (userFile != null) {
      JsonNode user;
      try {
        String text = java.nio.file.Files.readString(userFile);
        YamlAliases.refuse(text, "configuration file " + userFile);
        user = YAML.readTree(text);
      } catch (IOException e) {
        throw new ConfigException("cannot read configuration file " + userFile + ": " + e.getMessage(), e);
      }
      if (user != null && !user.isMissingNode() && !user.isNull()) {
        if (!user.isObject()) {
          throw new ConfigException("configuration file " + userFile + " must hold a mapping of sections");
        }
        merge(tree, (ObjectNode) user, "", userFile.toString());
      }
    }
    for (String override : overrides) applyOverride(tree, override);
    return bind(tree);
  }

  /** The configuration as YAML, as printed at start and saved beside a run's output. */
  public static String toYaml(RunConfig config) {
    try {
      return YAML.writeValueAsString(config);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Parses YAML written by {@link #toYaml} (for example a saved run configuration), over the defaults, so
   * that a configuration saved before a section existed still reads.
   */
  public static RunConfig fromYaml(String yaml) {
    try {
      ObjectNode tree = readDefaults();
      merge(tree, (ObjectNode) YAML.readTree(yaml), "", "saved configuration");
      return bind(tree);
    } catch (IOException e) {
      throw new ConfigException("cannot parse configuration: " + e.getMessage(), e);
    }
  }

  /**
   * The settings that differ between two configurations, as {@code section.key: a -> b}, in the order of
   * the configuration; empty when they are equal.
   */
  public static List<String> differences(RunConfig a, RunConfig b) {
    List<String> out = new java.util.ArrayList<>();
    collectDifferences(YAML.valueToTree(a), YAML.valueToTree(b), "", out);
    return out;
  }

  private static void collectDifferences(JsonNode a, JsonNode b, String path, List<String> out) {
    if (a != null && b != null && a.isObject() && b.isObject()) {
      java.util.Set<String> keys = new java.util.LinkedHashSet<>();
      a.fieldNames().forEachRemaining(keys::add);
      b.fieldNames().forEachRemaining(keys::add);
      for (String k : keys) collectDifferences(a.get(k), b.get(k), path.isEmpty() ? k : path + "." + k, out);
    } else if (a == null || b == null || !a.equals(b)) {
      out.add(path + ": " + (a == null ? "(absent)" : a.toString()) + " -> " + (b == null ? "(absent)" : b.toString()));
    }
  }

  /**
   * The configuration with some string settings replaced ({@code "model.path" -> "file:/abs/dir"}), as if
   * given by --set but with no YAML parsing of the values; validated like any other.
   */
  public static RunConfig withStrings(RunConfig config, java.util.Map<String, String> values) {
    return withValues(config, values);
  }

  /**
   * The configuration with some settings replaced by dotted key ({@code "train.max_steps" -> 12},
   * {@code "run.name" -> "fedit-seed-7"}): each value as Jackson writes that Java value (a String stays a string,
   * never parsed as YAML), then bound and validated like any other configuration.
   */
  public static RunConfig withValues(RunConfig config, java.util.Map<String, ?> values) {
    ObjectNode tree = YAML.valueToTree(config);
    for (java.util.Map.Entry<String, ?> e : values.entrySet()) {
      String[] parts = e.getKey().split("\\.");
      ObjectNode node = tree;
      for (int i = 0; i < parts.length - 1; i++) node = (ObjectNode) node.get(parts[i]);
      if (node == null || !node.has(parts[parts.length - 1])) {
        throw new IllegalArgumentException("no configuration key '" + e.getKey() + "'");
      }
      node.set(parts[parts.length - 1], YAML.valueToTree(e.getValue()));
    }
    return bind(tree);
  }

  private static ObjectNode readDefaults() {
    try (InputStream in = ConfigLoader.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
      if (in == null) throw new IllegalStateException("default configuration missing from the jar");
      return (ObjectNode) YAML.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Merges {@code src} into {@code dst}; a key that the defaults lack is unknown. */
  private static void merge(ObjectNode dst, ObjectNode src, String prefix, String origin) {
    Iterator<String> names = src.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      String path = prefix.isEmpty() ? name : prefix + "." + name;
      JsonNode value = src.get(name);
      JsonNode existing = dst.get(name);
      if (existing == null) throw unknownKey(path, dst, prefix, origin);
      if (existing.isObject()) {
        if (!value.isObject()) {
          throw new ConfigException(origin + ": '" + path + "' is a section and must hold keys, got " + value);
        }
        merge((ObjectNode) existing, (ObjectNode) value, path, origin);
      } else {
        dst.set(name, value);
      }
    }
  }

  private static void applyOverride(ObjectNode tree, String override) {
    int eq = override.indexOf('=');
    if (eq <= 0) {
      throw new ConfigException("override '" + override + "' must look like section.key=value");
    }
    String path = override.substring(0, eq).trim();
    String raw = override.substring(eq + 1);
    String[] parts = path.split("\\.");
    ObjectNode node = tree;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonNode child = node.get(parts[i]);
      String prefix = String.join(".", List.of(parts).subList(0, i));
      if (child == null) throw unknownKey(String.join(".", List.of(parts).subList(0, i + 1)), node, prefix, "--set");
      if (!child.isObject()) {
        throw new ConfigException("--set " + path + ": '" + parts[i] + "' is not a section");
      }
      node = (ObjectNode) child;
    }
    String leaf = parts[parts.length - 1];
    String prefix = String.join(".", List.of(parts).subList(0, parts.length - 1));
    if (!node.has(leaf)) throw unknownKey(path, node, prefix, "--set");
    if (node.get(leaf).isObject()) {
      throw new ConfigException("--set " + path + ": '" + path + "' is a section; set one of its keys");
    }
    JsonNode value;
    try {
      // Parse the value as a YAML scalar or flow collection: 8 → int, 0.5 → double, [q_proj, v_proj] → list.
      YamlAliases.refuse(raw, "--set " + path);
      value = raw.isEmpty() ? YAML.getNodeFactory().textNode("") : YAML.readTree(raw);
    } catch (IOException e) {
      throw new ConfigException("--set " + path + ": cannot parse value '" + raw + "'", e);
    }
    node.set(leaf, value == null || value.isMissingNode() ? YAML.getNodeFactory().nullNode() : value);
  }

  private static ConfigException unknownKey(String path, JsonNode parent, String prefix, String origin) {
    String known = iterable(parent.fieldNames()).stream()
        .map(n -> prefix.isEmpty() ? n : prefix + "." + n)
        .collect(Collectors.joining(", "));
    return new ConfigException(origin + ": unknown configuration key '" + path + "' (known here: " + known + ")");
  }

  private static List<String> iterable(Iterator<String> it) {
    List<String> out = new java.util.ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }

  private static RunConfig bind(ObjectNode tree) {
    SecretSettings.refuse(tree);
    try {
      return YAML.treeToValue(tree, RunConfig.class);
    } catch (ValueInstantiationException e) {
      // A section's constructor refused a value: its message already names the key and the value.
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new ConfigException("invalid configuration: " + cause.getMessage(), cause);
    } catch (UnrecognizedPropertyException e) {
      throw new ConfigException("unknown configuration key '" + dotted(e) + "'", e);
    } catch (MismatchedInputException e) {
      // Also InvalidFormatException. Jackson's own text names its internals (CoercionConfig, java.util.ArrayList).
      throw new ConfigException("configuration key '" + dotted(e) + "': expected "
          + describe(e.getTargetType()) + ", got " + valueAt(tree, e), e);
    } catch (JsonMappingException e) {
      throw new ConfigException("configuration key '" + dotted(e) + "': " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The offending value as the user wrote it (from the merged tree), for messages. */
  private static String valueAt(JsonNode tree, JsonMappingException e) {
    JsonNode node = tree;
    for (JsonMappingException.Reference r : e.getPath()) {
      node = r.getFieldName() != null ? node.path(r.getFieldName()) : node.path(r.getIndex());
    }
    if (node.isMissingNode()) return "an unusable value";
    if (node.isTextual()) return "'" + node.asText() + "'";
    if (node.isArray()) return "a list " + node;
    if (node.isObject()) return "a mapping " + node;
    return node.toString();
  }

  private static String dotted(JsonMappingException e) {
    return e.getPath().stream()
        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining("."))
        .replace(".[", "[");
  }

  private static String describe(Class<?> type) {
    if (type == null) return "a value";
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class) return "an integer";
    if (type == double.class || type == Double.class) return "a number";
    if (type == boolean.class || type == Boolean.class) return "true or false";
    if (type == String.class) return "a string";
    if (List.class.isAssignableFrom(type)) return "a list";
    return "a " + type.getSimpleName();
  }
}
