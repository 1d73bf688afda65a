package io.fedit.config;

/** A configuration that cannot be used; the message names the key (or file) and the value. */
public class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
