"""Example Airflow DAG: one federated round per task, with retries.

Each task runs `fedit round --round N`, which is idempotent: a round that is already committed is left
as it is (exit 0), a crashed round is redone from the last committed one, and a round whose predecessor
is missing is refused (exit 4) instead of skipping ahead. So retries and re-runs of any task are safe.
Exit codes 2, 3, 4 and 6 are not cured by a retry (see docs/FORMATS.md "Exit codes" and the operator's
checklist in docs/CLUSTER.md); exit 6 (privacy
budget spent) marks the task skipped, and with it the rounds after it. Exit 7 (another process is
writing the run: its lock names the owner) is cured by waiting: the retries below, with their delay, do that.

Set FEDIT_HOME to the project checkout on the Airflow workers, and SPARK_HOME for cluster submission.
Configure the run in conf/ (e.g. conf/my-run.yaml) and point FEDIT_CONFIG at it.
"""
from datetime import datetime, timedelta
import os

from airflow import DAG
from airflow.operators.bash import BashOperator

FEDIT_HOME = os.environ.get("FEDIT_HOME", "/opt/fedit-spark")
FEDIT_CONFIG = os.environ.get("FEDIT_CONFIG", f"{FEDIT_HOME}/conf/default.yaml")
ROUNDS = int(os.environ.get("FEDIT_ROUNDS", "20"))
SUBMIT = os.environ.get("FEDIT_SUBMIT_ARGS", "--master yarn --deploy-mode client")

with DAG(
    dag_id="fedit_rounds",
    start_date=datetime(2026, 1, 1),
    schedule=None,            # trigger by hand or from an upstream DAG
    catchup=False,
    max_active_runs=1,        # one writer per run directory
    default_args={"retries": 3, "retry_delay": timedelta(minutes=2)},
) as dag:
    prepare = BashOperator(
        task_id="prepare",
        bash_command=f"{FEDIT_HOME}/jobs/spark-submit-fedit {SUBMIT} -- prepare --config {FEDIT_CONFIG}",
    )
    previous = prepare
    for n in range(1, ROUNDS + 1):
        task = BashOperator(
            task_id=f"round_{n:03d}",
            bash_command=(f"{FEDIT_HOME}/jobs/spark-submit-fedit {SUBMIT} -- "
                          f"round --round {n} --config {FEDIT_CONFIG}"),
            # exit 6: the privacy budget is spent; the run is over, so skip this and the later rounds
            skip_on_exit_code=6,
        )
        previous >> task
        previous = task
