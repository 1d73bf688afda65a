package io.fedit.data;

/** Input data that cannot be used; the message names the file, line and field. */
public class DataException extends RuntimeException {
  public DataException(String message) {
    super(message);
  }
}
