package io.fedit.round;

import io.fedit.federation.update.ClientFailure;
import io.fedit.federation.update.ClientUpdate;
import io.fedit.federation.validation.UpdateValidator;
import java.io.Serializable;

/**
 * What a client's task sends back: an update, or a failure with its reason. A training error becomes
 * a failure (an ordinary result the strategy sees) instead of failing the Spark job; a lost executor is
 * retried by Spark. {@code device} says where the client trained ("cpu", "gpu(0)").
 *
 * <p>The update comes without its tensors: the task validated it and, when accepted, wrote them into the
 * round's staging directory; {@code staged} says what it decided and where the files are. Small whatever the
 * adapter's size.
 */
record ClientOutcome(ClientUpdate update, ClientFailure failure, String device, Staged staged) implements Serializable {
  /**
   * The executor's verdict on the update ({@link UpdateValidator#validate}) and its files.
   *
   * @param updateFile  the {@link io.fedit.checkpoint.UpdateFile} holding the adapter; null when rejected
   * @param updateBytes its length
   * @param stateFile   SCAFFOLD's staged new c_i; null without
   * @param keptFile    the staged rows of client_updates.parquet (checkpoint.keep_client_updates); null without
   */
  record Staged(boolean accepted, String reason, double updateNorm, String updateFile, long updateBytes,
      String stateFile, String keptFile) implements Serializable {}

  static ClientOutcome of(ClientUpdate update, String device, Staged staged) {
    return new ClientOutcome(update, null, device, staged);
  }

  static ClientOutcome failed(ClientFailure failure, String device) {
    return new ClientOutcome(null, failure, device, null);
  }

  /** The executor's verdict, about the update as the driver has it. */
  UpdateValidator.Verdict verdict() {
    return new UpdateValidator.Verdict(update, staged.accepted(), staged.reason(), staged.updateNorm());
  }
}
