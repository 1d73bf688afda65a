package io.fedit.config;

import java.io.StringReader;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;

/**
 * Refuses YAML anchors ({@code &a}) and aliases ({@code *a}) in configuration text. Jackson's YAML tree
 * reader turns an alias into the anchor's name as a string ({@code *m} became "m"), and aliases are also
 * how "billion laughs" bombs are built; a configuration has no need for them.
 */
final class YamlAliases {
  private YamlAliases() {}

  /** Throws a {@link ConfigException} naming {@code origin}, the line and the column of the first anchor or alias. */
  static void refuse(String yaml, String origin) {
    ParserImpl parser = new ParserImpl(new StreamReader(new StringReader(yaml)), new LoaderOptions());
    try {
      while (parser.peekEvent() != null) {
        Event ev = parser.getEvent();
        if (ev instanceof AliasEvent a) {
          throw new ConfigException(origin + " " + at(ev.getStartMark()) + ": YAML alias '*" + a.getAnchor()
              + "' is not supported in configuration; write the value out");
        }
        if (ev instanceof NodeEvent n && n.getAnchor() != null) {
          throw new ConfigException(origin + " " + at(ev.getStartMark()) + ": YAML anchor '&" + n.getAnchor()
              + "' is not supported in configuration; write the values out");
        }
      }
    } catch (MarkedYAMLException e) {
      throw new ConfigException(origin + " " + at(e.getProblemMark()) + ": not valid YAML: " + e.getProblem(), e);
    }
  }

  private static String at(Mark m) {
    return m == null ? "" : "line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1);
  }
}
