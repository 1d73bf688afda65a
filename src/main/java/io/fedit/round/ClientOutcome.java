package io.fedit.round;

import io.fedit.federation.ClientFailure;
import io.fedit.federation.ClientUpdate;
import java.io.Serializable;

/**
 * What a client's task sends back: an update, or a failure with its reason. A training error becomes
 * a failure (an ordinary result the strategy sees) instead of failing the Spark job; a lost executor is
 * retried by Spark. {@code device} says where the client trained ("cpu", "gpu(0)").
 */
record ClientOutcome(ClientUpdate update, ClientFailure failure, String device) implements Serializable {
  static ClientOutcome of(ClientUpdate update, String device) {
    return new ClientOutcome(update, null, device);
  }

  static ClientOutcome failed(ClientFailure failure, String device) {
    return new ClientOutcome(null, failure, device);
  }
}
