package io.fedit.partition;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fedit.testing.TestPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;

/** The shipped Dolly training set's categories, in file order (read without Spark, for pure tests). */
final class DollyKeys {
  private static List<String> categories;

  private DollyKeys() {}

  static synchronized List<String> categories() {
    if (categories == null) {
      ObjectMapper json = new ObjectMapper();
      try {
        categories = Files.readAllLines(TestPaths.dollyTrain()).stream()
            .filter(l -> !l.isBlank())
            .map(l -> {
              try {
                return json.readTree(l).get("category").asText();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            })
            .toList();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return categories;
  }
}
