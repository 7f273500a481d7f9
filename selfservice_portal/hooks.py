app_name = "selfservice_portal"
app_title = "Self-Service Portal"
app_publisher = "selfservice_portal developers"
app_description = (
	"Enterprise self-service for Frappe Helpdesk: department service catalogs, "
	"deflection tracking and adoption contests"
)
app_email = "dev@selfservice-portal.invalid"
app_license = "mit"

required_apps = ["helpdesk"]

# Controllers carry their DocType's field types (Frappe writes them when a DocType is saved in
# developer mode).
export_python_type_annotations = True

# Every whitelisted method must annotate its arguments (Frappe checks this at call time).
require_type_annotated_api_methods = True

# Installation
# ------------

after_install = "selfservice_portal.setup.install.after_install"
after_migrate = "selfservice_portal.setup.install.after_migrate"
before_uninstall = "selfservice_portal.setup.install.before_uninstall"

# Records shipped with the app, filtered so that nothing a site owns is overwritten.
fixtures = [
	{"dt": "Role", "filters": [["role_name", "like", "SSP %"]]},
]

# Testing
# -------

before_tests = "selfservice_portal.tests.test_utils.before_tests"

# Observing Helpdesk
# ------------------

doc_events = {
	"HD Ticket": {
		"before_insert": "selfservice_portal.deflection.ticket_channels.before_insert",
		"validate": [
			"selfservice_portal.permissions.guard_ticket_fields",
			"selfservice_portal.service_catalog.ticket_events.validate",
			"selfservice_portal.service_catalog.service_sla.set_ticket_sla",
			"selfservice_portal.deflection.ticket_events.set_department_from_team",
			"selfservice_portal.deflection.ticket_events.flag_reclassification",
			"selfservice_portal.deflection.ticket_channels.validate",
			"selfservice_portal.contests.ticket_events.set_text_length",
		],
		"after_insert": [
			"selfservice_portal.service_catalog.ticket_events.after_insert",
			"selfservice_portal.deflection.ticket_events.after_insert",
		],
		"on_update": [
			"selfservice_portal.deflection.ticket_channels.on_update",
			"selfservice_portal.service_catalog.ticket_events.on_update",
		],
	},
	# on_update runs on insert too. Telephony ships with Helpdesk; the handler still checks it is installed.
	"TP Call Log": {
		"on_update": "selfservice_portal.deflection.ticket_channels.on_call_log_update",
	},
	# Frappe before 15.6x creates a ticket from a mailbox without recording the mailbox on it.
	"Communication": {
		"after_insert": "selfservice_portal.deflection.ticket_channels.on_communication_insert",
	},
	"HD Article Feedback": {
		"validate": "selfservice_portal.permissions.guard_article_feedback",
		"on_update": "selfservice_portal.deflection.article_feedback.on_feedback_update",
	},
	# Helpdesk changes an existing answer with db.set_value inside this whitelisted method (no
	# doc_events); run_doc_method runs it through Document.run_method, which runs this right after.
	"HD Article": {
		"set_feedback": "selfservice_portal.deflection.article_feedback.after_set_feedback",
	},
	"User": {
		"validate": "selfservice_portal.permissions.guard_user_fields",
	},
	# Our notifications' wording (Helpdesk gives every agent write access to Email Templates).
	"Email Template": {
		"validate": "selfservice_portal.permissions.guard_email_templates",
		"on_trash": "selfservice_portal.permissions.guard_email_templates",
	},
	# The default SLA's working hours and holidays are those of every service's own SLA.
	"HD Service Level Agreement": {
		"on_update": "selfservice_portal.service_catalog.service_sla.on_sla_update",
	},
	"SSP Service": {
		"on_update": "selfservice_portal.service_catalog.catalog.clear_catalog_cache",
		"on_trash": "selfservice_portal.service_catalog.catalog.clear_catalog_cache",
	},
	"SSP Department": {
		"on_update": "selfservice_portal.service_catalog.catalog.clear_catalog_cache",
		"on_trash": "selfservice_portal.service_catalog.catalog.clear_catalog_cache",
	},
}

# Permissions beyond the role matrix: a request follows its ticket (Helpdesk's agent-group
# restriction included), and so do its child rows when they are listed on their own.
has_permission = {
	"SSP Request": "selfservice_portal.permissions.has_request_permission",
	"SSP Request Task": "selfservice_portal.permissions.has_request_task_permission",
}
permission_query_conditions = {
	"SSP Request": "selfservice_portal.permissions.request_query",
	"SSP Request Answer": "selfservice_portal.permissions.request_child_query",
	"SSP Request Approval": "selfservice_portal.permissions.request_child_query",
	"SSP Request Task": "selfservice_portal.permissions.request_task_query",
}

# Helpdesk's knowledge-base methods that only Helpdesk sees being called: wrapped to record the
# portal journey, same signature and result (pinned by deflection/test_kb_wrappers.py).
override_whitelisted_methods = {
	"helpdesk.api.knowledge_base.get_article": "selfservice_portal.deflection.kb_wrappers.get_article",
	"helpdesk.api.article.search": "selfservice_portal.deflection.kb_wrappers.search",
}

scheduler_events = {
	# Write-behind of portal events (deflection/events.py): every scheduler tick (60 s by default).
	"cron": {"* * * * *": ["selfservice_portal.deflection.events.flush_events"]},
	"daily_long": [
		"selfservice_portal.deflection.rollup.nightly_rollup",
		"selfservice_portal.service_catalog.fulfilment_rollup.nightly_rollup",
	],
	"hourly": [
		"selfservice_portal.contests.lifecycle.advance_contests",
		"selfservice_portal.contests.judging.refresh_running_standings",
		"selfservice_portal.deflection.polls.advance_polls",
	],
}

# Desk
# ----

app_include_js = "/assets/selfservice_portal/js/ssp_badges.js"
doctype_js = {"User": "public/js/user_badges.js"}
page_js = {"user-profile": "public/js/user_profile_badges.js"}

# Portal
# ------

portal_menu_items = [
	{"title": "Self-Service Home", "route": "/self-service"},
	{"title": "Service Catalog", "route": "/service-catalog", "reference_doctype": "SSP Service"},
	{"title": "My Requests", "route": "/my-requests", "reference_doctype": "SSP Request"},
	{"title": "My Approvals", "route": "/service-approval", "reference_doctype": "SSP Request"},
	{"title": "Contests", "route": "/contests", "reference_doctype": "SSP Contest"},
	{"title": "My Badges", "route": "/my-badges", "reference_doctype": "SSP Badge Award"},
	{"title": "Polls", "route": "/polls"},
]
