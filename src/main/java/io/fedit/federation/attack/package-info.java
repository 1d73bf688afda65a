/**
 * EXPERIMENTS ONLY: {@link io.fedit.federation.attack.AttackSimulation} chooses the clients that poison their update
 * (attack.*) and scales their delta, to test the robust aggregation rules. Pure: no I/O.
 */
package io.fedit.federation.attack;
