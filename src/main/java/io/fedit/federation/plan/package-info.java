/**
 * What the server plans: {@link io.fedit.federation.plan.RoundRules} for the run (rounds, quorum, deadline,
 * aggregation blocks), {@link io.fedit.federation.plan.RoundPlan} for a round (clients, seeds) and
 * {@link io.fedit.federation.plan.ClientInstructions} for each client (loss terms, trainable LoRA arrays, client
 * state, clipping): the client side executes these and reads no federation setting itself. Pure data: no I/O.
 */
package io.fedit.federation.plan;
