package io.fedit.checkpoint;

import io.fedit.config.LoraSection;
import io.fedit.eval.EvalResult;
import io.fedit.lora.AdapterWeights;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a round commit writes, gathered by the round driver.
 *
 * @param configYaml          the run's effective configuration as YAML text (stored in the manifest)
 * @param inputHashes         fingerprints of base model, tokenizer and data (e.g. "base_model" → sha256)
 * @param baseModelNameOrPath written into PEFT's adapter_config.json
 * @param clientUpdates       client id → its adapter; empty unless checkpoint.keep_client_updates
 * @param strategyState       the strategy's {@code state()}; empty for FedAvg
 * @param clientStates        client id → its new per-client strategy state (SCAFFOLD's c_i); else empty
 * @param privacyLedger       the round's DP ledger row; null without differential privacy
 * @param eval                held-out evaluation rows of the new global adapter (empty when not evaluated)
 * @param staged              client files the executors wrote (kept updates, client states) that the commit
 *                            takes in, beside the in-memory {@code clientUpdates} and {@code clientStates}
 */
public record RoundCheckpoint(
    int round,
    String runName,
    String strategy,
    AdapterWeights global,
    LoraSection lora,
    String baseModelNameOrPath,
    String configYaml,
    Map<String, String> inputHashes,
    List<ClientMetricsRow> clientMetrics,
    RoundMetricsRow roundMetrics,
    Map<String, AdapterWeights> clientUpdates,
    Map<String, AdapterWeights> strategyState,
    Map<String, AdapterWeights> clientStates,
    PrivacyLedgerRow privacyLedger,
    EvalResult eval,
    StagedClientFiles staged) {

  /** A round whose client files are all in memory. */
  public RoundCheckpoint(int round, String runName, String strategy, AdapterWeights global, LoraSection lora,
      String baseModelNameOrPath, String configYaml, Map<String, String> inputHashes,
      List<ClientMetricsRow> clientMetrics, RoundMetricsRow roundMetrics, Map<String, AdapterWeights> clientUpdates,
      Map<String, AdapterWeights> strategyState, Map<String, AdapterWeights> clientStates,
      PrivacyLedgerRow privacyLedger, EvalResult eval) {
    this(round, runName, strategy, global, lora, baseModelNameOrPath, configYaml, inputHashes, clientMetrics,
        roundMetrics, clientUpdates, strategyState, clientStates, privacyLedger, eval, StagedClientFiles.NONE);
  }

  /** A round without client states, privacy ledger or evaluation rows. */
  public RoundCheckpoint(int round, String runName, String strategy, AdapterWeights global, LoraSection lora,
      String baseModelNameOrPath, String configYaml, Map<String, String> inputHashes,
      List<ClientMetricsRow> clientMetrics, RoundMetricsRow roundMetrics, Map<String, AdapterWeights> clientUpdates,
      Map<String, AdapterWeights> strategyState) {
    this(round, runName, strategy, global, lora, baseModelNameOrPath, configYaml, inputHashes, clientMetrics,
        roundMetrics, clientUpdates, strategyState, Map.of(), null, EvalResult.empty());
  }

  /** This checkpoint with {@code eval}'s rows (which must all be of this round). */
  public RoundCheckpoint withEval(EvalResult eval) {
    return new RoundCheckpoint(round, runName, strategy, global, lora, baseModelNameOrPath, configYaml, inputHashes,
        clientMetrics, roundMetrics, clientUpdates, strategyState, clientStates, privacyLedger, eval, staged);
  }

  public RoundCheckpoint {
    if (round < 0) throw new IllegalArgumentException("round must be >= 0, got " + round);
    Objects.requireNonNull(runName, "runName");
    Objects.requireNonNull(strategy, "strategy");
    Objects.requireNonNull(global, "global");
    Objects.requireNonNull(lora, "lora");
    Objects.requireNonNull(roundMetrics, "roundMetrics");
    if (roundMetrics.round() != round) {
      throw new IllegalArgumentException("roundMetrics.round is " + roundMetrics.round() + ", expected " + round);
    }
    for (ClientMetricsRow r : clientMetrics) {
      if (r.round() != round) {
        throw new IllegalArgumentException("client metrics of " + r.clientId() + " are for round " + r.round()
            + ", expected " + round);
      }
    }
    for (String key : strategyState.keySet()) {
      // State entries become file names.
      if (!key.matches("[A-Za-z0-9_-]+")) {
        throw new IllegalArgumentException("strategy state name must match [A-Za-z0-9_-]+, got '" + key + "'");
      }
    }
    eval = eval == null ? EvalResult.empty() : eval;
    for (var r : eval.metrics()) {
      if (r.round() != round) throw new IllegalArgumentException("eval rows are for round " + r.round() + ", expected " + round);
    }
    for (var r : eval.generations()) {
      if (r.round() != round) throw new IllegalArgumentException("eval answers are for round " + r.round() + ", expected " + round);
    }
    baseModelNameOrPath = baseModelNameOrPath == null ? "" : baseModelNameOrPath;
    configYaml = configYaml == null ? "" : configYaml;
    inputHashes = Map.copyOf(inputHashes);
    clientMetrics = List.copyOf(clientMetrics);
    clientUpdates = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(clientUpdates));
    strategyState = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(strategyState));
    clientStates = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(clientStates));
    staged = staged == null ? StagedClientFiles.NONE : staged;
    if (!staged.updates().isEmpty() && !clientUpdates.isEmpty()) {
      throw new IllegalArgumentException("client updates both in memory and staged: give one of them");
    }
    for (String id : staged.states().keySet()) {
      if (clientStates.containsKey(id)) throw new IllegalArgumentException("client " + id + "'s state given twice");
    }
    if (privacyLedger != null && privacyLedger.round() != round) {
      throw new IllegalArgumentException("privacy ledger row is for round " + privacyLedger.round() + ", expected " + round);
    }
  }

  /** client id → adapter of the given updates, for {@code clientUpdates} when they are kept. */
  public static Map<String, AdapterWeights> adaptersById(List<io.fedit.federation.update.ClientUpdate> updates) {
    Map<String, AdapterWeights> out = new java.util.LinkedHashMap<>();
    for (io.fedit.federation.update.ClientUpdate u : updates) {
      if (out.put(u.clientId(), u.adapter()) != null) {
        throw new IllegalArgumentException("client " + u.clientId() + " has two updates in round " + u.round());
      }
    }
    return out;
  }
}
