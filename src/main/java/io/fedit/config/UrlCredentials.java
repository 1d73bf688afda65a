package io.fedit.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Credentials written into a URL's user-info ({@code https://user:key@host/v1}, {@code s3a://ID:SECRET@bucket}):
 * found in any text and shown only as {@code user:***@} (or {@code ***@} when there is no password part), so a
 * message, log line or saved file that quotes a URL never carries the secret.
 */
public final class UrlCredentials {
  /** scheme://USERINFO@ where USERINFO runs up to the first '@' and holds no '/', '?', '#' or white space. */
  private static final Pattern USER_INFO = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)([^/?#@\\s]+)@");

  private UrlCredentials() {}

  /** True when {@code text} holds a URL with user-info. */
  public static boolean present(String text) {
    return text != null && USER_INFO.matcher(text).find();
  }

  /** {@code text} with the user-info of every URL in it masked: {@code https://user:***@host}. */
  public static String redact(String text) {
    if (text == null) return null;
    Matcher m = USER_INFO.matcher(text);
    StringBuilder out = new StringBuilder(text.length());
    while (m.find()) {
      String info = m.group(2);
      int colon = info.indexOf(':');
      String masked = colon < 0 ? "***" : info.substring(0, colon) + ":***";
      m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + masked + "@"));
    }
    m.appendTail(out);
    return out.toString();
  }
}
