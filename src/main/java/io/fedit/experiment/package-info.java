/**
 * The paper's experiment in one command ({@code jobs/fedit experiment}): FedIT against local-only clients,
 * a centralized model and the base model, evaluated identically, several seeds, bootstrap intervals.
 * Layer: above round (it runs federated runs through {@link io.fedit.round.RoundDriver}), below job.
 *
 * <p><b>Flow per seed.</b> FedIT run in {@code <run dir>/experiment/fedit-seed-S} (prepare, with the held-out
 * splits, then rounds) → its accepted clients' training tokens and participation → one Spark job training the
 * centralized model and the local-only clients with the unchanged {@link io.fedit.client.LocalTrainer}, one task
 * each ({@link io.fedit.experiment.SoloTask}) → every model scored by {@link io.fedit.eval.Evaluator} on the same
 * splits, per category, with paired bootstrap intervals ({@link io.fedit.experiment.ArmEvaluation}) → the
 * seed's rows written atomically to experiment/results ({@link io.fedit.experiment.ExperimentResults}).
 */
package io.fedit.experiment;
