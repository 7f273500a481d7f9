"""Contest metrics: a registry other apps extend through the ``ssp_contest_metrics`` hook.

Each metric computes every participant's score for a period in one set-based query and can list,
for one participant, which records counted and which did not and why. Ticket-based metrics share the
fair-play rules: tickets an agent excluded, trivial tickets (too little text) and tickets beyond the
daily cap never count. The metrics themselves live in ``ticket_metrics`` and ``record_metrics``;
``Context``, ``Score`` and ``Metric`` (what another app's factory returns) are importable from here.
"""

import frappe
from frappe import _

from selfservice_portal.contests.metric_model import NOT_PORTAL, NOT_RATED, Context, Metric, Score
from selfservice_portal.contests.record_metrics import (
	CATALOG_REQUESTS,
	CONFIRMED_DEFLECTIONS,
	HELPFUL_VOTES,
	RATINGS_GIVEN,
)
from selfservice_portal.contests.ticket_metrics import (
	independence_scores,
	portal_ticket_scores,
	ticket_records,
	tickets_rated_scores,
)

__all__ = ("Context", "Metric", "Score", "builtin_metrics", "get_metric", "get_metrics")


def builtin_metrics() -> list[Metric]:
	"""A data table: the built-in metrics in the order the nomination grid offers them."""
	return [
		Metric(
			"portal_tickets",
			_("Requests through the portal"),
			_(
				"Requests you raised through the self-service portal or the service catalog during the contest. "
				"Requests an agent marked as spam, duplicate or invalid, requests with almost no text and more "
				"than the daily cap of requests per day do not count."
			),
			portal_ticket_scores,
			ticket_records(lambda ticket: None if ticket.is_portal else NOT_PORTAL),
			_("requests"),
		),
		Metric(
			"independence",
			_("Independence"),
			_(
				"The share of your valid requests that you raised through the portal rather than by e-mail, "
				"phone or in person. Only users with at least the nomination's minimum number of valid "
				"requests are ranked."
			),
			independence_scores,
			ticket_records(lambda ticket: None),
			"%",
			_("valid requests"),
		),
		Metric(
			"ratings_given",
			_("Ratings given"),
			_(
				"Ratings you gave to your resolved requests and to knowledge-base articles during the contest. "
				"A request's rating counts when the request itself counts: not excluded by an agent, not "
				"almost empty, and within the daily cap of requests."
			),
			RATINGS_GIVEN.scores,
			RATINGS_GIVEN.records,
			_("ratings"),
		),
		Metric(
			"tickets_rated",
			_("Rated requests"),
			_("Your valid requests of the contest period that you rated once they were resolved."),
			tickets_rated_scores,
			ticket_records(lambda ticket: None if ticket.rated else NOT_RATED),
			_("requests"),
		),
		Metric(
			"helpful_votes",
			_("'This helped' votes"),
			_("Knowledge-base articles you marked as helpful during the contest."),
			HELPFUL_VOTES.scores,
			HELPFUL_VOTES.records,
			_("votes"),
		),
		Metric(
			"confirmed_deflections",
			_("Problems solved with the knowledge base"),
			_(
				"Articles you marked as helpful and after which you did not need to raise a request within "
				"the deflection window."
			),
			CONFIRMED_DEFLECTIONS.scores,
			CONFIRMED_DEFLECTIONS.records,
			_("problems"),
		),
		Metric(
			"catalog_requests",
			_("Catalog requests"),
			_(
				"Services you requested through the service catalog; rejected, withdrawn or excluded requests do "
				"not count."
			),
			CATALOG_REQUESTS.scores,
			CATALOG_REQUESTS.records,
			_("requests"),
		),
	]


def get_metrics() -> dict[str, Metric]:
	"""Built-in metrics plus those other apps register: ``ssp_contest_metrics = ["app.module.factory"]``
	in their hooks, each factory returning a Metric or a list of them."""
	metrics = {metric.key: metric for metric in builtin_metrics()}
	for path in frappe.get_hooks("ssp_contest_metrics"):
		produced = frappe.get_attr(path)()
		for metric in produced if isinstance(produced, list | tuple) else [produced]:
			metrics[metric.key] = metric
	return metrics


def get_metric(key: str, metrics: dict[str, Metric] | None = None) -> Metric:
	"""``metrics``: the registry a caller already built (building it translates every description)."""
	metrics = metrics if metrics is not None else get_metrics()
	if key not in metrics:
		frappe.throw(
			_("Unknown contest metric {0}. Known metrics: {1}").format(key, ", ".join(sorted(metrics)))
		)
	return metrics[key]


def metric_options() -> list[dict]:
	"""The registry as the nomination grid's Select offers it: the key stored, the name shown."""
	return [{"value": metric.key, "label": metric.label} for metric in get_metrics().values()]


def metric_label(key: str) -> str:
	"""A metric's name for people; a key no longer registered is shown as it is."""
	metric = get_metrics().get(key)
	return metric.label if metric else key
