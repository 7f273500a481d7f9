"""The ready-made poll "Why don't you use the portal?", installed as a draft for managers to adapt."""

from frappe import _

from selfservice_portal.deflection.poll_questions import LIKELIHOOD, MULTIPLE, RATING, SINGLE, TEXT

TEMPLATE_KEY = "why-not-portal"


def template_poll() -> dict:
	"""The poll's fields, in the installing user's language."""
	return {
		"doctype": "SSP Poll",
		"title": _("Why don't you use the portal?"),
		"template": TEMPLATE_KEY,
		"introduction": _(
			"Six short questions, about two minutes. Tell us what keeps you from serving yourself on the "
			"portal, so that we fix what matters to you."
		),
		"audience_type": "All Portal Users",
		"questions": template_questions(),
	}


def template_questions() -> list[dict]:
	return [
		{
			"question": _("How do you prefer to contact support?"),
			"kind": SINGLE,
			"options": "\n".join(
				[_("Self-service portal"), _("Email"), _("Phone"), _("Chat or messenger"), _("In person")]
			),
			"is_required": 1,
		},
		{"question": _("Why do you prefer this way?"), "kind": TEXT},
		{
			"question": _("What is missing in the service catalog?"),
			"kind": MULTIPLE,
			"options": "\n".join(
				[
					_("The service I need is not there"),
					_("The forms ask too much"),
					_("I cannot follow my request"),
					_("Approvals take too long"),
					_("Nothing is missing"),
				]
			),
		},
		{
			"question": _("Was the knowledge base useful?"),
			"kind": SINGLE,
			"options": "\n".join(
				[_("Yes, it solved my problem"), _("Partly"), _("No"), _("I have not used it")]
			),
		},
		{
			"question": _("How easy is the portal to use? (1 = very hard, 5 = very easy)"),
			"kind": RATING,
			"is_required": 1,
		},
		{
			"question": _(
				"How likely are you to recommend the portal to a colleague? (0 = not at all, 10 = certainly)"
			),
			"kind": LIKELIHOOD,
			"is_required": 1,
		},
	]
