package io.fedit.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Refuses a configuration that would carry a secret into config.yaml, a round manifest or a log line, before
 * it is bound: a URL-valued setting with credentials in its user-info ({@code https://user:key@host},
 * any key), and a {@code *_env} setting whose value looks like a key rather than the NAME of the environment
 * variable that holds one. Messages name the key and never repeat the secret.
 */
final class SecretSettings {
  /** What an environment variable name may be (POSIX: letters, digits, underscore; no leading digit). */
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  /**
   * Key shapes that are also valid variable names: vendor prefixes (Stripe sk_/rk_, GitHub ghp_/github_pat_,
   * Slack xox?-less forms, Hugging Face hf_, AWS access key ids AKIA..., Google AIza...), and a long run of
   * letters and digits without an underscore (base64 or hex key material, 20 characters or more).
   */
  private static final Pattern KEY_SHAPE = Pattern.compile(
      "(?:(?:sk|rk|pk)_(?:live|test)_.*|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_.*|hf_[A-Za-z0-9]{20,}"
          + "|AKIA[0-9A-Z]{16}|AIza[0-9A-Za-z_]{30,}|(?=[A-Za-z0-9]*[0-9])(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{20,})");

  private SecretSettings() {}

  /** Throws {@link ConfigException} naming the first setting of {@code tree} that holds a secret. */
  static void refuse(JsonNode tree) {
    walk(tree, "");
  }

  private static void walk(JsonNode node, String path) {
    if (node == null) return;
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        walk(f.getValue(), path.isEmpty() ? f.getKey() : path + "." + f.getKey());
      }
    } else if (node.isArray()) {
      for (JsonNode item : node) walk(item, path);
    } else if (node.isTextual()) {
      check(path, node.asText());
    }
  }

  private static void check(String key, String value) {
    if (UrlCredentials.present(value)) {
      throw new ConfigException(key + " holds credentials in its URL (" + UrlCredentials.redact(value) + "): "
          + "remove the user-info from the URL; a judge key goes in the environment variable named by "
          + "judge.api_key_env, file-system credentials in the Hadoop configuration (core-site.xml or a "
          + "credential provider), so that no secret is saved in config.yaml, a manifest or a log");
    }
    if (key.endsWith("_env") && !value.isEmpty()) {
      boolean name = ENV_NAME.matcher(value).matches();
      if (!name || KEY_SHAPE.matcher(value).matches()) {
        throw new ConfigException(key + " must hold the NAME of an environment variable (letters, digits and "
            + "'_', such as FEDIT_JUDGE_API_KEY), and this value " + (name ? "looks like a key" : "is not a "
            + "variable name") + " (not shown): export the key under a name and put that name here");
      }
    }
  }
}
