package io.fedit.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/CONFIGURATION.md documents exactly the keys of conf/default.yaml, each with the default the YAML file
 * gives it. A key is documented by a table row whose first cell is the dotted key in code marks and whose
 * second cell is its default in code marks, written as YAML: {@code | `lora.r` | `8` | meaning |}.
 */
class ConfigurationReferenceTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern KEY_ROW =
      Pattern.compile("^\\|\\s*`([a-z0-9_]+(?:\\.[a-z0-9_]+)+)`\\s*\\|\\s*(.*?)\\s*\\|.*$");

  /** The leaves of conf/default.yaml by dotted key (a list is one value), in file order. */
  static Map<String, JsonNode> defaults() throws Exception {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    flatten("", YAML.readTree(MarkdownDoc.ROOT.resolve("conf/default.yaml").toFile()), out);
    return out;
  }

  private static void flatten(String prefix, JsonNode node, Map<String, JsonNode> out) {
    if (!node.isObject()) {
      out.put(prefix, node);
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
    }
  }

  /** The documented keys of docs/CONFIGURATION.md with the text of their default cell. */
  static Map<String, String> documented() {
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : MarkdownDoc.read(MarkdownDoc.ROOT.resolve("docs/CONFIGURATION.md")).prose()) {
      Matcher m = KEY_ROW.matcher(line);
      if (m.matches()) {
        String previous = out.put(m.group(1), m.group(2));
        assertEquals(null, previous, "docs/CONFIGURATION.md documents " + m.group(1) + " twice");
      }
    }
    return out;
  }

  @Test
  void everyKeyOfDefaultYamlIsDocumentedAndNothingElse() throws Exception {
    Map<String, JsonNode> yaml = defaults();
    Map<String, String> docs = documented();
    assertTrue(yaml.size() > 80, "conf/default.yaml read as " + yaml.size() + " keys");
    List<String> missing = new ArrayList<>(yaml.keySet());
    missing.removeAll(docs.keySet());
    List<String> unknown = new ArrayList<>(docs.keySet());
    unknown.removeAll(yaml.keySet());
    assertEquals(List.of(), missing, "keys of conf/default.yaml without a row in docs/CONFIGURATION.md");
    assertEquals(List.of(), unknown, "rows of docs/CONFIGURATION.md naming keys conf/default.yaml does not have");
  }

  @Test
  void everyDocumentedDefaultIsTheOneInDefaultYaml() throws Exception {
    Map<String, JsonNode> yaml = defaults();
    List<String> wrong = new ArrayList<>();
    documented().forEach((key, cell) -> {
      JsonNode expected = yaml.get(key);
      if (expected == null) return; // reported by the other test
      List<String> spans = MarkdownDoc.codeSpans(cell);
      if (spans.size() != 1 || !cell.equals("`" + spans.get(0) + "`")) {
        wrong.add(key + ": default cell must be one code span, got '" + cell + "'");
        return;
      }
      JsonNode given;
      try {
        given = YAML.readTree(spans.get(0));
      } catch (Exception e) {
        wrong.add(key + ": default '" + spans.get(0) + "' is not YAML: " + e.getMessage());
        return;
      }
      if (given == null || given.isMissingNode()) given = NullNode.getInstance();
      if (!given.equals(expected)) wrong.add(key + ": documented " + spans.get(0) + ", conf/default.yaml has " + expected);
    });
    assertEquals(List.of(), wrong, "defaults in docs/CONFIGURATION.md that differ from conf/default.yaml");
  }
}
