# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The creator's business metrics, written as CloudWatch embedded metric format (EMF) log lines.

Lambda sends a function's output to CloudWatch Logs, which turns each EMF line into a metric point:
no PutMetricData call, no extra permission. The namespace is `CreatorCloud/<slug>`, what the monitoring
dashboard's "Shop orders" widget reads (POWERTOOLS_METRICS_NAMESPACE, set by the api role); a function
without it records nothing.
"""

from aws_lambda_powertools.metrics import EphemeralMetrics
from aws_lambda_powertools.metrics import MetricUnit

from creatorcloud_backend.settings import current_settings


def record_paid_order():
    """One order was paid (called once per order: the pending → paid transition happens once)."""
    namespace = current_settings().metrics_namespace
    if not namespace:
        return
    # Ephemeral: no metric set shared between calls, so one creator's point never carries another's namespace.
    metrics = EphemeralMetrics(namespace=namespace)
    metrics.add_metric(name="Orders", unit=MetricUnit.Count, value=1)
    metrics.flush_metrics()
